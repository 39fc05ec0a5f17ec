import * as z from 'zod';

// The words of ARCHITECTURE.md "Names", used everywhere (code, API, docs).

export const OrderStatus = z.enum([
  'placed',
  'paid',
  'fulfilled',
  'partially_fulfilled',
  'delivered',
  'cancelled',
  'refunded',
  'partially_refunded',
]);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const ShipmentStatus = z.enum([
  'pending',
  'info_received',
  'in_transit',
  'out_for_delivery',
  'failed_attempt',
  'available_for_pickup',
  'delivered',
  'exception',
  'returning',
  'returned',
  'expired',
]);
export type ShipmentStatus = z.infer<typeof ShipmentStatus>;

export const CaseType = z.enum(['refund_only', 'return_refund', 'exchange', 'reship', 'repair', 'complaint']);
export type CaseType = z.infer<typeof CaseType>;

export const CaseStatus = z.enum([
  'requested',
  'pending_review',
  'approved',
  'rejected',
  'awaiting_return',
  'return_in_transit',
  'return_received',
  'inspected',
  'refunded',
  'replacement_shipped',
  'resolved',
  'closed',
  'cancelled',
]);
export type CaseStatus = z.infer<typeof CaseStatus>;

/** Fulfilment as the marketplace reports it; order status is derived from it (see core/orders). */
export const FulfillmentState = z.enum(['unfulfilled', 'partially_fulfilled', 'fulfilled']);
export type FulfillmentState = z.infer<typeof FulfillmentState>;

/** Problems the system raises a staff case for, as machine-readable reason codes on CaseRequested. */
export const StaffReasonCode = z.enum([
  'delivery_refused',
  'parcel_lost',
  'parcel_damaged',
  'returned_to_sender',
  'shipment_stalled',
  'no_tracking_info',
  'tracking_stopped',
]);
export type StaffReasonCode = z.infer<typeof StaffReasonCode>;

/** Events sent to the shop's own systems, which execute refunds, exchanges and reships. */
export const OutboundType = z.enum([
  'case.approved',
  'refund.requested',
  'exchange.requested',
  'reship.requested',
  'case.closed',
]);
export type OutboundType = z.infer<typeof OutboundType>;
