import * as z from 'zod';
import { Stamp } from './common.ts';
import { Address, OrderLine, OrderTotals } from './events.ts';
import { CaseType, FulfillmentState, OrderStatus } from './names.ts';

export const OrderRefund = z.object({
  refundId: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  reason: z.string().optional(),
  at: z.string(),
});

export const OrderShipmentRef = z.object({
  shipmentId: z.string(),
  trackingNumber: z.string(),
  carrier: z.string().optional(),
  trackingUrl: z.string().optional(),
  fulfillmentId: z.string().optional(),
  direction: z.enum(['outbound', 'return']),
  shippedAt: z.string(),
});

/** A marketplace after-sale request of the order: a reference to its case, where its state lives. */
export const OrderAfterSale = z.object({
  requestId: z.string(),
  caseId: z.string(),
  requestedAt: z.string(),
});

export const TimelineEntry = z.object({
  eventId: z.string(),
  type: z.string(),
  at: z.string(),
  provider: z.string(),
  summary: z.string(),
});

/**
 * The Order aggregate. Every field is a join of the facts seen so far (earliest paid time, latest
 * snapshot field by time, refunds by id), and the status is derived from those facts, so the same
 * set of events gives the same order whatever order they arrived in.
 */
export const Order = z.object({
  orderId: z.string(),
  provider: z.string(),
  /** True until a snapshot (OrderPlaced/OrderUpdated) has told us what the order is. */
  placeholder: z.boolean(),
  status: OrderStatus,
  number: z.string().optional(),
  currency: z.string().optional(),
  lines: z.array(OrderLine).default([]),
  totals: OrderTotals.optional(),
  shippingAddress: Address.optional(),
  placedAt: z.string().optional(),
  fulfillment: FulfillmentState.optional(),
  providerStatus: z.string().optional(),
  note: z.string().optional(),
  customer: z
    .object({
      customerId: z.string(),
      name: z.string().optional(),
      emailMasked: z.string().optional(),
      phoneMasked: z.string().optional(),
    })
    .optional(),
  /**
   * Register stamps: snapshot fields by name, and per-entry ones such as `refund:<id>`,
   * `ship:<id>:carrier`, `aftersale:<id>`, `cancelReason`.
   */
  stamps: z.record(z.string(), Stamp).default({}),
  paidAt: z.string().optional(),
  cancelledAt: z.string().optional(),
  cancelReason: z.string().optional(),
  restoredAt: z.string().optional(),
  deliveredAt: z.string().optional(),
  deliveredConfirmedBy: z.enum(['carrier', 'buyer', 'marketplace']).optional(),
  refunds: z.array(OrderRefund).default([]),
  refundedTotal: z.number().int().default(0),
  shipments: z.array(OrderShipmentRef).default([]),
  afterSales: z.array(OrderAfterSale).default([]),
  /** Cases customers and clerks opened on the order (marketplace requests are in afterSales). */
  cases: z
    .array(
      z.object({
        caseId: z.string(),
        type: CaseType,
        openedAt: z.string(),
        lines: z.array(z.object({ lineId: z.string(), quantity: z.number().int() })),
      }),
    )
    .default([]),
  timeline: z.array(TimelineEntry).default([]),
});
export type Order = z.infer<typeof Order>;
