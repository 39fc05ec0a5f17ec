import { Policy, type PolicyDocument } from '../../../schemas/policy.ts';
import type { PolicyInput } from '../../../schemas/policy-io.ts';

/*
 * One order and one request that every policy test varies: a Shopify order of three lines, a tee
 * (2 x 40.00), a gift card (50.00) and a jacket sold at 120.00 of its 300.00 list price (60% off),
 * delivered on 2026-11-15 at 10:00 UTC; the customer asks to return one tee, having changed their
 * mind. The shop counts days in UTC unless a test says otherwise.
 */

export const NOW = '2026-11-25T00:00:00.000Z';

type Order = PolicyInput['order'];
type Request = PolicyInput['request'];
type Customer = PolicyInput['customer'];

export interface InputOverrides {
  now?: string;
  shop?: Partial<PolicyInput['shop']>;
  order?: Partial<Order>;
  customer?: Partial<Customer>;
  request?: Partial<Request>;
  earlierCases?: PolicyInput['earlierCases'];
}

export const LINES: Order['lines'] = [
  {
    lineId: 'L1',
    sku: 'TEE-BLK-M',
    productId: 'P-TEE',
    title: 'Black tee',
    quantity: 2,
    unitPrice: 4000,
    total: 8000,
  },
  {
    lineId: 'L2',
    sku: 'GIFT-CARD-50',
    productId: 'P-GIFT',
    title: 'Gift card',
    quantity: 1,
    unitPrice: 5000,
    total: 5000,
  },
  {
    lineId: 'L3',
    sku: 'JKT-01',
    productId: 'P-JKT',
    title: 'Jacket',
    quantity: 1,
    unitPrice: 12_000,
    compareAtUnitPrice: 30_000,
    total: 12_000,
  },
];

export function policyInput(o: InputOverrides = {}): PolicyInput {
  return {
    now: o.now ?? NOW,
    shop: { locale: 'en', timezone: 'UTC', ...o.shop },
    order: {
      provider: 'shopify',
      orderId: '820982911946154508',
      currency: 'USD',
      total: 25_000,
      placedAt: '2026-11-10T08:00:00Z',
      shippedAt: '2026-11-12T09:00:00Z',
      deliveredAt: '2026-11-15T10:00:00Z',
      country: 'US',
      lines: LINES,
      ...o.order,
    },
    customer: { cases: [], lifetimeOrders: 3, lifetimeRefunds: 0, tags: [], ...o.customer },
    request: {
      type: 'return_refund',
      origin: 'customer',
      lines: [{ lineId: 'L1', quantity: 1, reason: 'changed_mind' }],
      ...o.request,
    },
    earlierCases: o.earlierCases ?? [],
  };
}

export function policy(doc: PolicyDocument = {}): Policy {
  return Policy.parse(doc);
}

/** A request for one line with one reason. */
export function asking(
  lineId: string,
  reason: Request['lines'][number]['reason'],
  type: Request['type'] = 'return_refund',
  quantity = 1,
): Partial<Request> {
  return { type, lines: [{ lineId, quantity, reason }] };
}
