import { caseReducer } from '../cases/case.ts';
import { customerReducer } from '../customers/customer.ts';
import { orderReducer } from '../orders/order.ts';
import { shipmentReducer } from '../tracking/shipment.ts';
import type { AggregateKind, Reducer } from './types.ts';

/** One reducer per aggregate kind. */
export const reducers: Record<AggregateKind, Reducer<unknown>> = {
  order: orderReducer as Reducer<unknown>,
  customer: customerReducer as Reducer<unknown>,
  shipment: shipmentReducer as Reducer<unknown>,
  case: caseReducer as Reducer<unknown>,
};
