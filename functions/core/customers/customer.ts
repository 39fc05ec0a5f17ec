import type { Customer } from '../../../schemas/customer.ts';
import type { CanonicalEvent, CustomerFacts } from '../../../schemas/events.ts';
import type { Applied, ApplyContext, Reducer } from '../engine/types.ts';
import { contactHash, resolveCustomer } from './identity.ts';

const ORDER_IDS_CAP = 500;

/** The customer facts an event carries, if any (snapshots, payments and cancellations may). */
export function customerFactsOf(event: CanonicalEvent): CustomerFacts | undefined {
  return 'order' in event ? event.order?.customer : undefined;
}

/** Keeps each buyer's contact (last writer wins by event time), consent and order list. */
export const customerReducer: Reducer<Customer> = {
  aggregate: 'customer',
  apply(state: Customer | undefined, event: CanonicalEvent, ctx: ApplyContext): Applied<Customer> {
    const facts = customerFactsOf(event);
    const resolved = resolveCustomer(ctx.shop.shopId, event.provider, facts, ctx.shop.defaultRegion);
    const orderId = 'orderId' in event ? event.orderId : undefined;
    if (!facts || !resolved || !orderId) return { state: state!, effects: [] };
    const customer: Customer = state
      ? structuredClone(state)
      : { customerId: resolved.customerId, stamps: {}, orderIds: [] };
    const stamp = { at: event.occurredAt, eventId: event.eventId };
    const set = (field: 'name' | 'email' | 'phone' | 'acceptsMarketing', value: unknown) => {
      if (value === undefined) return;
      const current = customer.stamps[field];
      if (current && (current.at > stamp.at || (current.at === stamp.at && current.eventId >= stamp.eventId)))
        return;
      (customer as Record<string, unknown>)[field] = value;
      customer.stamps[field] = stamp;
    };
    set('name', facts.name);
    set('email', resolved.email);
    set('phone', resolved.phone);
    set('acceptsMarketing', facts.acceptsMarketing);
    if (customer.email) customer.emailHash = contactHash(ctx.shop.shopId, customer.email);
    if (customer.phone) customer.phoneHash = contactHash(ctx.shop.shopId, customer.phone);
    if (!customer.orderIds.includes(orderId)) {
      customer.orderIds = [...customer.orderIds, orderId].sort().slice(-ORDER_IDS_CAP);
    }
    const placedAt = 'order' in event ? (event.order?.placedAt ?? event.occurredAt) : event.occurredAt;
    if (!customer.firstOrderAt || placedAt < customer.firstOrderAt) customer.firstOrderAt = placedAt;
    if (!customer.lastOrderAt || placedAt > customer.lastOrderAt) customer.lastOrderAt = placedAt;
    return { state: customer, effects: [] };
  },
};
