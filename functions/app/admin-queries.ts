import type { Case } from '../../schemas/case.ts';
import { ProviderName } from '../../schemas/common.ts';
import type { InboxStatus } from '../../schemas/inbox.ts';
import { CaseStatus, type CaseType } from '../../schemas/names.ts';
import { contactHash, normalizeEmail, normalizePhone } from '../core/customers/identity.ts';
import { orderAggregateId, shipmentIdFor } from '../core/ids.ts';
import { DomainError, InvalidRequestError, NotFoundError } from '../lib/errors.ts';
import type { AppDeps } from './ports.ts';
import { settingsOf } from './settings.ts';
import {
  caseSummaryView,
  caseView,
  customerView,
  inboxItemView,
  noticeView,
  orderView,
  outboundView,
  shipmentView,
} from './views.ts';

/*
 * What staff read, as views (schemas/views.ts). Every query is scoped to the shop it is given (the
 * token's): another shop's id is simply not found.
 */

export type QueryDeps = Pick<AppDeps, 'reads' | 'inbox' | 'shops' | 'outboundLog' | 'clock'>;

class AmbiguousOrderError extends DomainError {
  override readonly statusCode = 409;
  override readonly code = 'ambiguous_order';
}

/** Marketplaces an order can come from (orders are keyed `marketplace:id`). */
const MARKETPLACES = ProviderName.options.filter((p) => p !== 'system');

/**
 * The aggregate ids of the orders with this marketplace id: `?provider=` picks one marketplace,
 * else every marketplace is looked at in one batch read (ids rarely collide across them).
 */
export async function findOrders(
  deps: QueryDeps,
  shopId: string,
  orderId: string,
  provider?: string,
): Promise<string[]> {
  const candidates = (provider ? [provider] : MARKETPLACES).map((p) => orderAggregateId(p, orderId));
  const found = await deps.reads.getAggregates(shopId, 'order', candidates);
  return found.map((o) => orderAggregateId(o.data.provider, o.data.orderId));
}

/** An order as staff see it: its view, its parcels and the notices planned for it. */
export async function orderDetail(deps: QueryDeps, shopId: string, aggregateId: string) {
  const stored = await deps.reads.getAggregate(shopId, 'order', aggregateId);
  if (!stored) throw new NotFoundError(`no order ${aggregateId}`);
  const [shipments, notices] = await Promise.all([
    deps.reads.getAggregates(
      shopId,
      'shipment',
      stored.data.shipments.map((s) => s.shipmentId),
    ),
    deps.reads.noticesOf(shopId, 'order', aggregateId),
  ]);
  return {
    order: orderView(stored),
    shipments: shipments.map(shipmentView),
    notices: notices.map(noticeView),
  };
}

export async function shipmentDetail(deps: QueryDeps, shopId: string, trackingNumberOrId: string) {
  const id = shipmentIdFor(trackingNumberOrId);
  const stored = await deps.reads.getAggregate(shopId, 'shipment', id);
  if (!stored) throw new NotFoundError(`no shipment with tracking number ${trackingNumberOrId}`);
  return {
    shipment: shipmentView(stored),
    notices: (await deps.reads.noticesOf(shopId, 'shipment', id)).map(noticeView),
  };
}

export async function customersByContact(
  deps: QueryDeps,
  shopId: string,
  query: { email?: string; phone?: string },
) {
  const shop = await deps.shops.loadCached(shopId);
  const region = shop ? settingsOf(shop.shop).defaultRegion : 'CN';
  const email = normalizeEmail(query.email);
  const phone = normalizePhone(query.phone, region);
  if (!email && !phone) throw new InvalidRequestError('give ?email= or ?phone= (a valid address or number)');
  const ids = email
    ? await deps.reads.customerIdsByContact(shopId, 'email', contactHash(shopId, email))
    : await deps.reads.customerIdsByContact(shopId, 'phone', contactHash(shopId, phone!));
  const customers = await deps.reads.getAggregates(shopId, 'customer', ids);
  const notifications = shop?.shop.notifications;
  const context = {
    now: deps.clock.now(),
    ...(notifications && { rfm: notifications.rfm, vip: notifications.vip }),
  };
  return { customers: customers.map((c) => customerView(c.data, context)) };
}

/** Orders by display number; Shopify shows "#1001", staff may type either form. */
export async function ordersByNumber(deps: QueryDeps, shopId: string, number: string) {
  const candidates = number.startsWith('#') ? [number, number.slice(1)] : [number, `#${number}`];
  for (const candidate of candidates) {
    const ids = await deps.reads.orderIdsByNumber(shopId, candidate);
    if (ids.length) return { orders: await Promise.all(ids.map((id) => orderDetail(deps, shopId, id))) };
  }
  throw new NotFoundError(`no order numbered ${number}`);
}

/** One order by the marketplace's id; two marketplaces sharing it is a 409 asking which. */
export async function orderById(deps: QueryDeps, shopId: string, orderId: string, provider?: string) {
  const found = await findOrders(deps, shopId, orderId, provider);
  if (found.length === 0) throw new NotFoundError(`no order ${orderId}`);
  if (found.length > 1) {
    throw new AmbiguousOrderError(
      `order ${orderId} exists in ${found.map((id) => id.split(':')[0]).join(' and ')}: add ?provider=`,
    );
  }
  return orderDetail(deps, shopId, found[0]!);
}

export async function inboxPage(
  deps: QueryDeps,
  shopId: string,
  query: { status: InboxStatus; limit: number; cursor?: string | undefined },
) {
  const page = await deps.inbox.list(shopId, query.status, {
    limit: query.limit,
    ...(query.cursor && { cursor: query.cursor }),
  });
  return {
    items: page.items.map((i) => inboxItemView(i as unknown as Record<string, unknown>)),
    ...(page.next && { next: page.next }),
  };
}

/** The staff queue: a shop's cases in one status, oldest first, with the queue's filters. */
export async function caseQueue(
  deps: QueryDeps,
  shopId: string,
  query: {
    status: CaseStatus;
    type?: CaseType | undefined;
    reason?: string | undefined;
    assignee?: string | undefined;
    sla?: 'breached' | undefined;
    olderThanHours?: number | undefined;
    limit: number;
    cursor?: string | undefined;
  },
) {
  const now = Date.parse(deps.clock.now());
  const page = await deps.reads.listCasesByStatus(shopId, query.status, {
    limit: query.limit,
    type: query.type,
    reason: query.reason,
    assignee: query.assignee,
    slaBreached: query.sla === 'breached',
    ...(query.olderThanHours !== undefined && {
      before: new Date(now - query.olderThanHours * 3_600_000).toISOString(),
    }),
    cursor: query.cursor,
  });
  return { cases: page.items.map(caseSummaryView), ...(page.next && { next: page.next }) };
}

/** The case page: the case with its notices, its parcels (return, replacement) and its outbound events. */
export async function caseDetail(deps: QueryDeps, shopId: string, caseId: string) {
  const stored = await deps.reads.getAggregate(shopId, 'case', caseId);
  if (!stored) throw new NotFoundError(`no case ${caseId}`);
  const c = stored.data;
  const parcelIds = [c.returnParcel?.shipmentId, c.replacement?.shipmentId].filter(
    (id): id is string => !!id,
  );
  const orderRef = c.orderId && c.orderProvider ? orderAggregateId(c.orderProvider, c.orderId) : undefined;
  const [parcels, notices, outbound] = await Promise.all([
    deps.reads.getAggregates(shopId, 'shipment', parcelIds),
    orderRef ? deps.reads.noticesOf(shopId, 'order', orderRef) : Promise.resolve([]),
    deps.outboundLog.list(shopId, caseId),
  ]);
  return {
    case: caseView(stored),
    notices: notices
      .filter((n) => (n.data as Record<string, unknown> | undefined)?.caseId === caseId)
      .map(noticeView),
    parcels: parcels.map(shipmentView),
    outbound: outbound.map(outboundView),
  };
}

/** The shop's notice log, newest first. */
export async function noticeLog(
  deps: QueryDeps,
  shopId: string,
  query: { limit: number; cursor?: string | undefined },
) {
  const page = await deps.reads.listNotices(shopId, {
    limit: query.limit,
    ...(query.cursor && { cursor: query.cursor }),
  });
  return { notices: page.items.map(noticeView), ...(page.next && { next: page.next }) };
}

/** Hours from the request to its first decision: an instant one by the policy counts 0. */
function hoursToDecision(c: Case): number | undefined {
  if (c.policy && c.policy.action !== 'review') return 0;
  const first = c.decisionTrail.find((d) => DECISIONS.has(d.action));
  return first ? (Date.parse(first.at) - Date.parse(c.requestedAt)) / 3_600_000 : undefined;
}

const OPEN: CaseStatus[] = CaseStatus.options.filter((s) => !['rejected', 'cancelled', 'closed'].includes(s));
const DECISIONS = new Set(['approve', 'reject', 'acknowledge']);
const RETURNS = new Set(['return_refund', 'exchange', 'refund_only']);

/*
 * How after-sale is going, for a period.
 * 1. every case: the open ones now (by status and age), and those opened in the period (by
 *    status partition of the staff-queue index, the request time its sort key)
 * 2. from those opened: by type and origin, return rate against orders created in the period,
 *    top reasons, the median time to the first decision, SLA compliance, the parcel problems
 */
export async function summary(deps: QueryDeps, shopId: string, period: { from: string; to: string }) {
  const now = Date.parse(deps.clock.now());
  const all: Case[] = [];
  for (const status of CaseStatus.options) {
    let cursor: string | undefined;
    do {
      const page = await deps.reads.listCasesByStatus(shopId, status, {
        limit: 100,
        cursor,
        // Open cases count whenever they were opened; closed ones only if opened in the period.
        ...(!OPEN.includes(status) && { since: period.from }),
      });
      all.push(...page.items.map((i) => i.data));
      cursor = page.next;
    } while (cursor && all.length < 20_000);
  }
  const open = all.filter((c) => OPEN.includes(c.status));
  const byAge = { under1d: 0, from1to3d: 0, from3to7d: 0, over7d: 0 };
  const byStatus: Record<string, number> = {};
  for (const c of open) {
    byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
    const days = (now - Date.parse(c.requestedAt)) / 86_400_000;
    if (days < 1) byAge.under1d++;
    else if (days < 3) byAge.from1to3d++;
    else if (days < 7) byAge.from3to7d++;
    else byAge.over7d++;
  }
  const opened = all.filter((c) => c.requestedAt >= period.from && c.requestedAt <= period.to);
  const count = (pick: (c: Case) => string | undefined) => {
    const out: Record<string, number> = {};
    for (const c of opened) {
      const k = pick(c);
      if (k) out[k] = (out[k] ?? 0) + 1;
    }
    return out;
  };
  const reasons = new Map<string, number>();
  for (const c of opened) {
    for (const r of c.reasons ?? c.lines.flatMap((l) => (l.reason ? [l.reason] : []))) {
      reasons.set(r, (reasons.get(r) ?? 0) + 1);
    }
  }
  const hours = opened
    .map((c) => hoursToDecision(c))
    .filter((h): h is number => h !== undefined)
    .sort((a, b) => a - b);
  const median = hours.length ? hours[Math.floor((hours.length - 1) / 2)]! : null;
  const withDeadline = opened.filter((c) => c.refundDueBy || c.firstResponseDueBy);
  const breached = withDeadline.filter((c) => c.slaBreaches.length > 0).length;
  const orders = await deps.reads.ordersCreated(shopId, period.from.slice(0, 10), period.to.slice(0, 10));
  const returns = opened.filter((c) => RETURNS.has(c.type) && c.origin !== 'system').length;
  return {
    from: period.from,
    to: period.to,
    open: { total: open.length, byStatus, byAge },
    opened: { total: opened.length, byType: count((c) => c.type), byOrigin: count((c) => c.origin) },
    orders,
    returnRate: orders ? Math.round((returns / orders) * 10_000) / 10_000 : null,
    topReasons: [...reasons]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 10)
      .map(([reason, n]) => ({ reason, count: n })),
    medianHoursToDecision: median === null ? null : Math.round(median * 10) / 10,
    sla: {
      due: withDeadline.length,
      breached,
      compliance: withDeadline.length
        ? Math.round(((withDeadline.length - breached) / withDeadline.length) * 10_000) / 10_000
        : null,
    },
    deliveryExceptions: count((c) => (c.origin === 'system' ? c.reasonCode : undefined)),
  };
}
