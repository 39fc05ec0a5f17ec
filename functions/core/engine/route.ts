import type { CanonicalEvent } from '../../../schemas/events.ts';
import { customerOf } from '../customers/customer.ts';
import type { AggregateRef, ShopSettings } from './types.ts';

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

/** Which aggregates an event touches; all of them are written in one transaction. */
export function routeEvent(event: CanonicalEvent, shop: ShopSettings): AggregateRef[] {
  const refs = primaryRefs(event);
  const customer = customerOf(event, shop);
  if (customer) refs.push({ aggregate: 'customer', id: customer.customerId });
  return refs;
}

function primaryRefs(event: CanonicalEvent): AggregateRef[] {
  switch (event.type) {
    case 'OrderPlaced':
    case 'OrderUpdated':
    case 'OrderPaid':
    case 'OrderCancelled':
    case 'OrderRestored':
    case 'OrderRefunded':
    case 'OrderDelivered':
    case 'AfterSaleRequested':
      return [{ aggregate: 'order', id: orderAggregateId(orderProviderOf(event), event.orderId) }];
    case 'ShipmentCreated':
      return [
        { aggregate: 'order', id: orderAggregateId(orderProviderOf(event), event.orderId) },
        { aggregate: 'shipment', id: shipmentIdFor(event.trackingNumber) },
      ];
    case 'TrackingUpdated':
      return [{ aggregate: 'shipment', id: shipmentIdFor(event.trackingNumber) }];
    case 'CaseRequested':
      return [{ aggregate: 'case', id: event.caseId }];
    case 'TimerFired':
      return [{ aggregate: event.target.aggregate, id: event.target.id }];
  }
}
