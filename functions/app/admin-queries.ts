import { ProviderName } from '../../schemas/common.ts';
import type { InboxStatus } from '../../schemas/inbox.ts';
import type { CaseStatus, CaseType } from '../../schemas/names.ts';
import { contactHash, normalizeEmail, normalizePhone } from '../core/customers/identity.ts';
import { orderAggregateId, shipmentIdFor } from '../core/ids.ts';
import { DomainError, InvalidRequestError, NotFoundError } from '../lib/errors.ts';
import type { AppDeps } from './ports.ts';
import { settingsOf } from './shop-settings.ts';
import {
  caseSummaryView,
  caseView,
  customerView,
  inboxItemView,
  noticeView,
  orderView,
  shipmentView,
} from './views.ts';

/*
 * What staff read, as views (schemas/views.ts). Every query is scoped to the shop it is given (the
 * token's): another shop's id is simply not found.
 */

export type QueryDeps = Pick<AppDeps, 'reads' | 'inbox' | 'shops'>;

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
  return { customers: customers.map((c) => customerView(c.data)) };
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

/** The staff queue: a shop's cases in one status (optionally one type), oldest first. */
export async function caseQueue(
  deps: QueryDeps,
  shopId: string,
  query: { status: CaseStatus; type?: CaseType | undefined; limit: number; cursor?: string | undefined },
) {
  const page = await deps.reads.listCasesByStatus(shopId, query.status, {
    limit: query.limit,
    ...(query.type && { type: query.type }),
    ...(query.cursor && { cursor: query.cursor }),
  });
  return { cases: page.items.map(caseSummaryView), ...(page.next && { next: page.next }) };
}

export async function caseDetail(deps: QueryDeps, shopId: string, caseId: string) {
  const stored = await deps.reads.getAggregate(shopId, 'case', caseId);
  if (!stored) throw new NotFoundError(`no case ${caseId}`);
  return { case: caseView(stored) };
}
