import * as z from 'zod';
import {
  AfterSaleRequested,
  OrderCancelled,
  OrderDelivered,
  OrderPaid,
  OrderPlaced,
  OrderRefunded,
  OrderRestored,
  OrderUpdated,
  RefundRecorded,
  ShipmentCreated,
  TrackingUpdated,
} from './events.ts';

/**
 * The generic webhook body (docs/generic-webhooks.md): one canonical event of a type a sender may
 * report, without the fields the core owns. `eventId` and `provider` are filled in by us;
 * `orderProvider` names another marketplace's order and is only ever set by the core itself, so a
 * generic sender can never create or change a Shopify or Taobao order. The objects stay strict:
 * an unknown or owned field is refused with its name rather than silently dropped.
 */
const owned = { eventId: true, provider: true, orderProvider: true } as const;

export const GenericEvent = z.discriminatedUnion('type', [
  OrderPlaced.omit(owned),
  OrderUpdated.omit(owned),
  OrderPaid.omit(owned),
  OrderCancelled.omit(owned),
  OrderRestored.omit(owned),
  OrderRefunded.omit(owned),
  OrderDelivered.omit(owned),
  ShipmentCreated.omit(owned),
  AfterSaleRequested.omit(owned),
  TrackingUpdated.omit({ eventId: true, provider: true }),
  // The shop's own system reporting a refund it executed (the answer to refund.requested).
  RefundRecorded.omit({ eventId: true, provider: true }),
]);
export type GenericEvent = z.infer<typeof GenericEvent>;
