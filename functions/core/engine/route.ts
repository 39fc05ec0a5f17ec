import type { CanonicalEvent } from '../../../schemas/events.ts';
import { customerOf } from '../customers/customer.ts';
import { afterSaleCaseId, orderAggregateId, orderProviderOf, shipmentIdFor } from '../ids.ts';
import type { AggregateRef, ShopSettings } from './types.ts';

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
      return [{ aggregate: 'order', id: orderAggregateId(orderProviderOf(event), event.orderId) }];
    case 'AfterSaleRequested':
      // The case is the request's home; the order keeps a reference to it.
      return [
        { aggregate: 'order', id: orderAggregateId(orderProviderOf(event), event.orderId) },
        { aggregate: 'case', id: afterSaleCaseId(orderProviderOf(event), event.requestId) },
      ];
    case 'ShipmentCreated':
      return [
        { aggregate: 'order', id: orderAggregateId(orderProviderOf(event), event.orderId) },
        { aggregate: 'shipment', id: shipmentIdFor(event.trackingNumber) },
      ];
    case 'TrackingUpdated':
      return [{ aggregate: 'shipment', id: shipmentIdFor(event.trackingNumber) }];
    case 'CaseRequested':
      return [{ aggregate: 'case', id: event.caseId }];
    case 'CaseChanged': {
      const refs: AggregateRef[] = [{ aggregate: 'case', id: event.caseId }];
      // A case opened by a customer or a clerk is referenced by its order and its customer, which
      // is what later requests count (quantities already claimed, the customer's history).
      if (event.change.action === 'open') {
        refs.push({
          aggregate: 'order',
          id: orderAggregateId(event.change.orderProvider, event.change.orderId),
        });
        if (event.change.customerId) refs.push({ aggregate: 'customer', id: event.change.customerId });
      }
      return refs;
    }
    case 'RefundRecorded':
      return [{ aggregate: 'case', id: event.caseId }];
    case 'CustomerOptedOut':
    case 'CustomerContactReported':
      return [{ aggregate: 'customer', id: event.customerId }];
    case 'TimerFired':
      return [{ aggregate: event.target.aggregate, id: event.target.id }];
  }
}
