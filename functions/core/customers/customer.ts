import type { Customer } from '../../../schemas/customer.ts';
import type { CanonicalEvent, CustomerFacts, EventOf } from '../../../schemas/events.ts';
import type { Applied, ApplyContext, Reducer } from '../engine/types.ts';
import { orderAggregateId, orderProviderOf } from '../ids.ts';
import { offer, stampOf } from '../registers.ts';
import { contactHash, regionFor, resolveCustomer } from './identity.ts';

const ORDER_IDS_CAP = 500;

/** The customer facts an event carries, if any (snapshots, payments and cancellations may). */
export function customerFactsOf(event: CanonicalEvent): CustomerFacts | undefined {
  return 'order' in event ? event.order?.customer : undefined;
}

/** Which Customer an event's buyer is, read with the region its facts imply. */
export function customerOf(event: CanonicalEvent, shop: ApplyContext['shop']) {
  const facts = 'order' in event ? event.order : undefined;
  return resolveCustomer(shop.shopId, event.provider, facts?.customer, regionFor(facts, shop));
}

/** Keeps each buyer's contact (last writer wins by event time), consent and order list. */
export const customerReducer: Reducer<Customer> = {
  apply(state: Customer | undefined, event: CanonicalEvent, ctx: ApplyContext): Applied<Customer> {
    if (event.type === 'CaseChanged') return recordCase(state, event);
    const facts = customerFactsOf(event);
    const resolved = customerOf(event, ctx.shop);
    const marketplaceId = 'orderId' in event ? event.orderId : undefined;
    if (!facts || !resolved || marketplaceId === undefined) return { effects: [] };
    const orderId = orderAggregateId(orderProviderOf(event), marketplaceId);
    const customer: Customer = state
      ? structuredClone(state)
      : { customerId: resolved.customerId, stamps: {}, orders: {}, orderIds: [], cases: [] };
    customer.orders ??= {};
    const set = (field: 'name' | 'email' | 'phone' | 'acceptsMarketing', value: unknown) => {
      if (value !== undefined && offer(customer.stamps, field, stampOf(event.occurredAt, value))) {
        (customer as Record<string, unknown>)[field] = value;
      }
    };
    set('name', facts.name);
    set('email', resolved.email);
    set('phone', resolved.phone);
    set('acceptsMarketing', facts.acceptsMarketing);
    if (customer.email) customer.emailHash = contactHash(ctx.shop.shopId, customer.email);
    if (customer.phone) customer.phoneHash = contactHash(ctx.shop.shopId, customer.phone);

    // An order's time is the earliest any of its events tells: its placement when a snapshot says
    // so, else its first event. A minimum, so it does not depend on which event came first.
    const placedAt = 'order' in event && event.order?.placedAt ? event.order.placedAt : event.occurredAt;
    const known = customer.orders[orderId];
    customer.orders[orderId] = known && known < placedAt ? known : placedAt;
    const byTime = Object.entries(customer.orders).sort(
      ([a, x], [b, y]) => x.localeCompare(y) || a.localeCompare(b),
    );
    // A very large history keeps its newest orders; the cap is far above any real customer's.
    if (byTime.length > ORDER_IDS_CAP) {
      byTime.splice(0, byTime.length - ORDER_IDS_CAP);
      customer.orders = Object.fromEntries(byTime);
    }
    customer.orderIds = byTime.map(([id]) => id);
    customer.firstOrderAt = byTime[0]?.[1];
    customer.lastOrderAt = byTime.at(-1)?.[1];
    return { state: customer, effects: [] };
  },
};

const CASES_CAP = 200;

/** A case opened for the customer: their history, which the policy reads (cases in the last N days). */
function recordCase(state: Customer | undefined, event: EventOf<'CaseChanged'>): Applied<Customer> {
  if (!state || event.change.action !== 'open') return { effects: [] };
  const cases = state.cases ?? [];
  if (cases.some((c) => c.caseId === event.caseId)) return { effects: [] };
  const next = [...cases, { caseId: event.caseId, type: event.change.caseType, at: event.occurredAt }]
    .sort((a, b) => a.at.localeCompare(b.at) || a.caseId.localeCompare(b.caseId))
    .slice(-CASES_CAP);
  return { state: { ...structuredClone(state), cases: next }, effects: [] };
}
