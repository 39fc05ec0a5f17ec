import { stableId } from '../lib/crypto.ts';

/*
 * How the core names its aggregates. Imports nothing of the core, so every part of it (router,
 * reducers, planners) and the adapters can use it without a cycle.
 */

/**
 * A shipment's id is its tracking number, normalised (upper case, no spaces or dashes). Carrier
 * codes differ between providers and marketplaces ("UPS" from Shopify, "ups" from AfterShip,
 * "Other" from a manual fulfillment), while the number is the one thing every party agrees on; so
 * a tracking push and the fulfillment naming the same number always meet on the same item, and
 * routing a carrier webhook is one GetItem. The carrier is kept (and checked) as an attribute.
 */
export function shipmentIdFor(trackingNumber: string): string {
  return trackingNumber.replace(/[\s-]+/g, '').toUpperCase();
}

/**
 * An order's aggregate id: its marketplace and the marketplace's id (`shopify:820982911946154508`),
 * so orders of two marketplaces that share an id never merge.
 */
export function orderAggregateId(marketplace: string, orderId: string): string {
  return `${marketplace}:${orderId}`;
}

/** The marketplace an order event is about: its own provider, unless the core made it. */
export function orderProviderOf(event: { provider: string; orderProvider?: string | undefined }): string {
  return event.orderProvider ?? event.provider;
}

/** The case for a shipment problem: one per (shipment, reason), whatever the arrival order. */
export function caseIdFor(shipmentId: string, reasonCode: string): string {
  return stableId(shipmentId, 'case', reasonCode);
}

/** The case mirroring a marketplace's after-sale request: one per (marketplace, request id). */
export function afterSaleCaseId(marketplace: string, requestId: string): string {
  return stableId(marketplace, 'after-sale', requestId);
}
