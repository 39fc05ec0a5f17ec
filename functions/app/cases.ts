import type { Case } from '../../schemas/case.ts';
import type { Customer } from '../../schemas/customer.ts';
import type { CaseRequestLine, EventOf } from '../../schemas/events.ts';
import type { CaseStatus, CaseType } from '../../schemas/names.ts';
import type { Order } from '../../schemas/order.ts';
import { defaultPolicy, Policy } from '../../schemas/policy.ts';
import type { PolicyEvaluation, PolicyInput, Resolution } from '../../schemas/policy-io.ts';
import { type CaseCommand, caseDecider } from '../core/cases/decide-case.ts';
import { intakeStatus } from '../core/cases/transitions.ts';
import { contactHash, normalizeEmail, normalizePhone } from '../core/customers/identity.ts';
import type { DecideContext, ShopSettings } from '../core/engine/types.ts';
import { orderAggregateId } from '../core/ids.ts';
import { evaluatePolicy } from '../core/policy/evaluate.ts';
import { stableId } from '../lib/crypto.ts';
import { DomainError, NotFoundError, PolicyViolationError, VersionConflictError } from '../lib/errors.ts';
import { type ApplyDeps, applyEvent } from './apply-event.ts';
import type { AppDeps, PolicyStore, RateLimiter, Stored } from './ports.ts';
import { publishEffects } from './publish-effects.ts';
import { settingsOf } from './settings.ts';

export type CaseDeps = Pick<AppDeps, 'reads' | 'shops' | 'queues' | 'clock'> &
  ApplyDeps & { policies: PolicyStore };

export class RateLimitedError extends DomainError {
  override readonly statusCode = 429;
  override readonly code = 'rate_limited';
}

/** Marketplaces an order can come from (orders are keyed `marketplace:id`). */
const MARKETPLACES = ['shopify', 'woocommerce', 'taobao', 'doudian', 'generic'] as const;

/**
 * The shop's settings for a request. `fresh`: read now, for what a manager may just have changed
 * (the approval limit a staff decision is checked against); else the instance's copy (15 s).
 */
export async function shopSettingsOf(
  deps: Pick<AppDeps, 'shops'>,
  shopId: string,
  options: { fresh?: boolean } = {},
): Promise<ShopSettings> {
  const loaded = await deps.shops.loadCached(shopId, options.fresh ? { maxAgeMs: 0 } : undefined);
  if (!loaded) throw new NotFoundError(`no shop ${shopId}`);
  return settingsOf(loaded.shop);
}

/** The shop's current policy (its newest published version), or the default for its locale (version 0). */
export async function currentPolicy(deps: { policies: PolicyStore }, shop: ShopSettings): Promise<Policy> {
  const published = await deps.policies.current(shop.shopId);
  if (!published) return { ...defaultPolicy(shop.locale), version: 0 };
  return { ...Policy.parse(published.document), version: published.version };
}

export interface IntakeRequest {
  shopId: string;
  orderId?: string | undefined;
  orderNumber?: string | undefined;
  provider?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  type: CaseType;
  lines: CaseRequestLine[];
  resolution?: Resolution | undefined;
  photos?: string[] | undefined;
  note?: string | undefined;
}

export interface IntakeResult {
  case: Stored<Case>;
  /** False when an identical earlier request already made this case (a retry). */
  created: boolean;
  evaluation: PolicyEvaluation;
}

/*
 * A customer files a return (or exchange, refund-only, repair, complaint) on the portal.
 * 1. rate limits: per order and per client address (429)
 * 2. find the order by the marketplace's id or its display number, and check the customer owns it
 *    with the order's email or phone, normalised; the same 404 whether the order does not exist
 *    or the contact does not match, so the answer tells a stranger nothing
 * 3. the same request again (a retry, a double click) is the same case: its id derives from the
 *    order and the request, and the existing case is answered
 * 4. gather what the policy reads (the order, the customer's history, earlier cases on the lines)
 *    and evaluate the shop's current policy: a violation is a 422 in the policy's words
 * 5. open the case where the decision puts it (approved, review, rejected), with the trace, in the
 *    same versioned transaction as any event; the milestone notices and outbound events follow
 */
export async function requestReturn(
  deps: CaseDeps & { rateLimiter: RateLimiter },
  request: IntakeRequest,
  client: { address: string },
): Promise<IntakeResult> {
  const nowMs = Date.parse(deps.clock.now());
  const shop = await shopSettingsOf(deps, request.shopId);
  const orderKey = request.orderId ?? request.orderNumber ?? '';
  const allowed =
    (await deps.rateLimiter.take(`${shop.shopId}#order#${orderKey}`, 10, 3600, nowMs)) &&
    (await deps.rateLimiter.take(`${shop.shopId}#client#${client.address}`, 30, 3600, nowMs));
  if (!allowed)
    throw new RateLimitedError('too many requests for this order or from this address; try again later');

  const order = await findCustomersOrder(deps, shop, request);
  return openCase(deps, shop, order, {
    ...request,
    origin: 'customer',
    by: { kind: 'customer', id: 'customer' },
  });
}

/*
 * A clerk opens a case (a complaint taken by phone, a return agreed in chat).
 * 1. find the order (the clerk knows it; no contact check)
 * 2. evaluate the policy: its decision and trace are recorded, but a violation does not refuse a
 *    clerk's case (it is noted on the case; the clerk decides)
 * 3. open it as for a customer
 */
export async function createCaseByStaff(
  deps: CaseDeps,
  shopId: string,
  request: Omit<IntakeRequest, 'shopId' | 'email' | 'phone'>,
  staff: { sub: string },
): Promise<IntakeResult> {
  const shop = await shopSettingsOf(deps, shopId);
  const candidates = await ordersFor(deps, shop, request);
  if (candidates.length === 0) throw new NotFoundError('no such order');
  if (candidates.length > 1) {
    throw new VersionConflictError('two marketplaces have an order with this id: give the provider');
  }
  return openCase(deps, shop, candidates[0]!, {
    ...request,
    shopId,
    origin: 'staff',
    by: { kind: 'staff', id: staff.sub },
  });
}

async function ordersFor(
  deps: Pick<AppDeps, 'reads'>,
  shop: ShopSettings,
  request: Pick<IntakeRequest, 'orderId' | 'orderNumber' | 'provider'>,
): Promise<Array<Stored<Order>>> {
  if (request.orderId) {
    const ids = (request.provider ? [request.provider] : MARKETPLACES).map((p) =>
      orderAggregateId(p, request.orderId!),
    );
    return deps.reads.getAggregates(shop.shopId, 'order', ids);
  }
  if (request.orderNumber) {
    const number = request.orderNumber.trim();
    const forms = number.startsWith('#') ? [number, number.slice(1)] : [number, `#${number}`];
    for (const form of forms) {
      const ids = await deps.reads.orderIdsByNumber(shop.shopId, form);
      if (ids.length) return deps.reads.getAggregates(shop.shopId, 'order', ids);
    }
  }
  return [];
}

/** The order of the customer who proves it with its email or phone; otherwise one 404 for all. */
export async function findCustomersOrder(
  deps: Pick<AppDeps, 'reads'>,
  shop: ShopSettings,
  request: IntakeRequest,
): Promise<Stored<Order>> {
  const notFound = () => new NotFoundError('no order with this number and contact');
  const email = normalizeEmail(request.email);
  const phone = normalizePhone(request.phone, shop.defaultRegion);
  if (!email && !phone) throw notFound();
  const candidates = await ordersFor(deps, shop, request);
  const customerIds = candidates.flatMap((o) => (o.data.customer ? [o.data.customer.customerId] : []));
  const customers = await deps.reads.getAggregates(shop.shopId, 'customer', customerIds);
  const owns = (order: Order) => {
    const customer = customers.find((c) => c.data.customerId === order.customer?.customerId)?.data;
    if (!customer) return false;
    return (
      (email !== undefined && customer.emailHash === contactHash(shop.shopId, email)) ||
      (phone !== undefined && customer.phoneHash === contactHash(shop.shopId, phone))
    );
  };
  const matching = candidates.filter((o) => owns(o.data));
  if (matching.length !== 1) throw notFound();
  return matching[0]!;
}

async function openCase(
  deps: CaseDeps,
  shop: ShopSettings,
  order: Stored<Order>,
  request: Omit<IntakeRequest, 'email' | 'phone'> & {
    origin: 'customer' | 'staff';
    by: { kind: 'customer' | 'staff'; id: string };
  },
): Promise<IntakeResult> {
  const o = order.data;
  const lines = [...request.lines].sort((a, b) => a.lineId.localeCompare(b.lineId));
  // The same request for the same order is the same case, whoever sends it twice.
  const caseId = stableId(
    shop.shopId,
    orderAggregateId(o.provider, o.orderId),
    request.origin,
    request.type,
    JSON.stringify(lines),
    request.resolution ?? '',
  );
  const existing = await deps.reads.getAggregate(shop.shopId, 'case', caseId);
  const policy = await currentPolicy(deps, shop);
  const input = await policyInputFor(deps, shop, o, request, lines);
  const evaluation = evaluatePolicy(policy, input);
  if (existing) return { case: existing, created: false, evaluation };

  if (request.origin === 'customer' && evaluation.violations.length) {
    const [first] = evaluation.violations;
    throw new PolicyViolationError(first!.code, first!.message, { violations: evaluation.violations });
  }
  const decision = evaluation.decision ?? {
    action: 'review' as const,
    rule: 'default',
    reasons: [],
    trace: [],
  };
  const status: CaseStatus = intakeStatus(request.type, decision.action);
  const byLine = new Map(o.lines.map((l) => [l.lineId, l]));
  const amount = lines.reduce((sum, l) => {
    const line = byLine.get(l.lineId);
    return sum + (line ? Math.round((line.total / Math.max(1, line.quantity)) * l.quantity) : 0);
  }, 0);
  const event: EventOf<'CaseChanged'> = {
    type: 'CaseChanged',
    eventId: stableId(caseId, 'open'),
    provider: 'system',
    occurredAt: deps.clock.now(),
    caseId,
    by: request.by,
    change: {
      action: 'open',
      caseType: request.type,
      origin: request.origin,
      status,
      orderId: o.orderId,
      orderProvider: o.provider as 'shopify',
      ...(o.customer && { customerId: o.customer.customerId }),
      lines,
      ...(request.resolution && { resolution: request.resolution }),
      ...(request.photos?.length && { photos: request.photos }),
      ...(request.note && { note: request.note }),
      amount,
      currency: o.currency ?? 'CNY',
      policy: {
        version: evaluation.policyVersion,
        action: decision.action,
        rule: decision.rule,
        ...(decision.reasonCode && { reasonCode: decision.reasonCode }),
        reasons: decision.reasons,
        trace: decision.trace.map((t) => ({ test: t.test, value: t.value, passed: t.passed })),
        violations: evaluation.violations,
        terms: evaluation.terms,
      },
    },
  };
  const { effects } = await applyEvent(deps, shop, event);
  await publishEffects(deps.queues, shop.shopId, effects, deps.clock.now());
  const stored = await deps.reads.getAggregate(shop.shopId, 'case', caseId);
  if (!stored) throw new Error(`case ${caseId} was not written`);
  return { case: stored, created: true, evaluation };
}

/** What the policy reads about a request: the order, the customer's history, earlier cases on it. */
async function policyInputFor(
  deps: Pick<AppDeps, 'reads' | 'clock'>,
  shop: ShopSettings,
  order: Order,
  request: {
    type: CaseType;
    origin: 'customer' | 'staff' | 'marketplace' | 'system';
    resolution?: Resolution | undefined;
  },
  lines: CaseRequestLine[],
  options: { now?: string; excludeCaseId?: string } = {},
): Promise<PolicyInput> {
  const customer: Customer | undefined = order.customer
    ? (await deps.reads.getAggregate(shop.shopId, 'customer', order.customer.customerId))?.data
    : undefined;
  const earlierIds = [...(order.cases ?? []).map((c) => c.caseId), ...order.afterSales.map((a) => a.caseId)];
  const earlier = await deps.reads.getAggregates(shop.shopId, 'case', earlierIds);
  const live = earlier.filter(
    (c) =>
      c.data.status !== 'cancelled' &&
      c.data.status !== 'rejected' &&
      c.data.caseId !== options.excludeCaseId,
  );
  const pastOrders = await deps.reads.getAggregates(
    shop.shopId,
    'order',
    (customer?.orderIds ?? []).slice(-100),
  );
  return {
    now: options.now ?? deps.clock.now(),
    shop: { locale: shop.locale, country: shop.defaultRegion, timezone: shop.timezone },
    order: {
      provider: order.provider,
      orderId: order.orderId,
      ...(order.currency && { currency: order.currency }),
      ...(order.totals && { total: order.totals.total }),
      ...(order.placedAt && { placedAt: order.placedAt }),
      ...(order.shipments.length && { shippedAt: order.shipments.map((s) => s.shippedAt).sort()[0] }),
      ...(order.deliveredAt && { deliveredAt: order.deliveredAt }),
      cancelled: order.status === 'cancelled',
      ...(order.shippingAddress?.country && { country: order.shippingAddress.country }),
      lines: order.lines.map((l) => ({
        lineId: l.lineId,
        ...(l.sku && { sku: l.sku }),
        ...(l.productId && { productId: l.productId }),
        ...(l.variantId && { variantId: l.variantId }),
        title: l.title,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        total: l.total,
      })),
    },
    customer: {
      cases: [...(customer?.cases ?? [])].reverse().map((c) => ({ at: c.at, type: c.type })),
      lifetimeOrders: customer?.orderIds.length ?? 0,
      lifetimeRefunds: pastOrders.reduce((sum, o) => sum + (o.data.refundedTotal ?? 0), 0),
      tags: [],
    },
    request: {
      type: request.type,
      origin: request.origin,
      lines: lines.map((l) => ({
        lineId: l.lineId,
        quantity: l.quantity,
        reason: l.reason,
        ...(l.exchangeFor && { exchangeFor: l.exchangeFor }),
      })),
      ...(request.resolution && { resolution: request.resolution }),
    },
    earlierCases: live.map((c) => ({
      caseId: c.data.caseId,
      type: c.data.type,
      lines: c.data.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })),
    })),
  };
}

/**
 * What the policy read (or would have read) when a stored case was requested: for a dry-run of a
 * draft on past cases. Undefined for a case without an order we know.
 */
export async function policyInputForCase(
  deps: Pick<AppDeps, 'reads' | 'clock'>,
  shop: ShopSettings,
  c: Case,
): Promise<PolicyInput | undefined> {
  if (!c.orderId || !c.orderProvider) return undefined;
  const order = await deps.reads.getAggregate(
    shop.shopId,
    'order',
    orderAggregateId(c.orderProvider, c.orderId),
  );
  if (!order) return undefined;
  const lines: CaseRequestLine[] = (
    c.lines.length
      ? c.lines
      : order.data.lines.map((l) => ({ lineId: l.lineId, quantity: Math.max(1, l.quantity) }))
  ).map((l) => ({
    lineId: l.lineId,
    quantity: l.quantity,
    reason: ((l as { reason?: string }).reason ?? 'other') as CaseRequestLine['reason'],
  }));
  const origin = c.origin;
  return policyInputFor(deps, shop, order.data, { type: c.type, origin, resolution: c.resolution }, lines, {
    now: c.requestedAt,
    excludeCaseId: c.caseId,
  });
}

/*
 * A decision on a case (a clerk's, or a customer's own: register the return parcel, withdraw).
 * 1. load the case; the version in the request must be the stored one, else 409 version_conflict:
 *    two clerks clicking at once cannot both win (customers act on whatever is current)
 * 2. decide: the actor may, the table allows it from here, the command's guards hold
 * 3. apply the event with the same version as the condition, in one transaction, and publish the
 *    milestone's notices, outbound events and parcels
 */
export async function decideOnCase(
  deps: CaseDeps,
  shopId: string,
  caseId: string,
  command: CaseCommand,
  actor: DecideContext['actor'],
  expectedVersion?: number,
): Promise<Stored<Case>> {
  // Staff decisions are few and checked against limits a manager may just have lowered: read now.
  const shop = await shopSettingsOf(deps, shopId, { fresh: actor.kind === 'staff' });
  // Without a version (customers act on whatever is current) a concurrent change is retried on the
  // fresh state, which the decision is then taken on again.
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.reads.getAggregate(shopId, 'case', caseId);
    if (!stored) throw new NotFoundError(`no case ${caseId}`);
    if (expectedVersion !== undefined && expectedVersion !== stored.version) {
      throw new VersionConflictError(
        `the case is at version ${stored.version}, not ${expectedVersion}: someone changed it meanwhile; reload it`,
        { version: stored.version },
      );
    }
    const events = caseDecider.decide({ ...stored.data, version: stored.version }, command, {
      shop,
      now: deps.clock.now(),
      actor,
    });
    const ref = { aggregate: 'case' as const, id: caseId };
    try {
      for (const event of events) {
        const { effects } = await applyEvent(deps, shop, event, { expect: { ref, version: stored.version } });
        await publishEffects(deps.queues, shopId, effects, deps.clock.now());
      }
    } catch (err) {
      if (err instanceof VersionConflictError && expectedVersion === undefined && attempt < 3) continue;
      throw err;
    }
    return (await deps.reads.getAggregate(shopId, 'case', caseId)) ?? stored;
  }
}
