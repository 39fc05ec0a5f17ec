import { describe, expect, it } from 'vitest';
import { customerReducer } from '../../../functions/core/customers/customer.ts';
import { contactHash } from '../../../functions/core/customers/identity.ts';
import type { Customer } from '../../../schemas/customer.ts';
import type { CanonicalEvent } from '../../../schemas/events.ts';
import { applyContext, event, foldEvents, parseDelivery, shopSettings } from '../../support/orders.ts';

const shopify = (file: string, topic: string) =>
  parseDelivery({ provider: 'shopify', file, headers: { 'x-shopify-topic': topic } });
const genericSample = () => parseDelivery({ provider: 'generic', file: 'order-placed.json' });

function run(events: CanonicalEvent[], shopId = 'demo-shop'): Customer | undefined {
  let state: Customer | undefined;
  for (const e of events)
    state = customerReducer.apply(state, e, applyContext(shopSettings({ shopId }))).state ?? state;
  return state;
}

const placed = (orderId: string, at: string, customer: Record<string, unknown>, eventId?: string) =>
  event({
    type: 'OrderPlaced',
    ...(eventId && { eventId }),
    orderId,
    occurredAt: at,
    order: { placedAt: at, customer },
  });

describe('customerReducer', () => {
  it('keeps the normalised contact and looks it up by hashes salted with the shop id', () => {
    const customer = run(genericSample())!;
    expect(customer).toMatchObject({
      customerId: 'generic-cust-42',
      name: '李雷',
      email: 'li.lei@example.com',
      phone: '+8613800138000',
      emailHash: contactHash('demo-shop', 'li.lei@example.com'),
      phoneHash: contactHash('demo-shop', '+8613800138000'),
      orderIds: ['generic:820982911946154508'],
    });
    const elsewhere = run(genericSample(), 'other-shop')!;
    expect(elsewhere.emailHash).not.toBe(customer.emailHash);
    expect(elsewhere.phoneHash).not.toBe(customer.phoneHash);
  });

  it("is routed to the customer of the order's buyer, one state per customer", () => {
    const folded = foldEvents([...genericSample(), ...shopify('orders-create.json', 'orders/create')]);
    expect(Object.keys(folded.all('customer')).sort()).toEqual([
      'generic-cust-42',
      'shopify-115310627314723954',
    ]);
    expect(folded.customer('shopify-115310627314723954')).toMatchObject({
      email: 'jon@example.com',
      acceptsMarketing: true,
    });
  });

  it('lists each order once, sorted, with the first and last order times', () => {
    const c = { email: 'li.lei@example.com' };
    const customer = run([
      placed('B-2', '2026-11-21T00:00:00Z', c),
      placed('A-1', '2026-11-20T00:00:00Z', c),
      placed('B-2', '2026-11-21T00:00:00Z', c, 'again'),
    ])!;
    expect(customer.orderIds).toEqual(['generic:A-1', 'generic:B-2']);
    expect(customer.firstOrderAt).toBe('2026-11-20T00:00:00.000Z');
    expect(customer.lastOrderAt).toBe('2026-11-21T00:00:00.000Z');
  });

  it('keeps the newest contact: an older event arriving late does not overwrite it', () => {
    const newer = placed('A-1', '2026-11-21T00:00:00Z', { externalId: 'c-1', phone: '139 0013 9000' });
    const older = placed('A-1', '2026-11-20T00:00:00Z', { externalId: 'c-1', phone: '138 0013 8000' });
    for (const events of [
      [older, newer],
      [newer, older],
    ]) {
      const customer = run(events)!;
      expect(customer.phone).toBe('+8613900139000');
      expect(customer.phoneHash).toBe(contactHash('demo-shop', '+8613900139000'));
    }
  });

  it('leaves the state alone for events without buyer facts', () => {
    const before = run(genericSample());
    const paid = event({
      type: 'OrderPaid',
      orderId: '820982911946154508',
      occurredAt: '2026-11-20T08:16:00Z',
      paidAt: '2026-11-20T08:16:00Z',
    });
    expect(customerReducer.apply(before, paid, applyContext()).state).toBeUndefined();
    expect(customerReducer.apply(undefined, paid, applyContext()).state).toBeUndefined();
  });
});
