import { caseReducer } from '../cases/case.ts';
import { customerReducer } from '../customers/customer.ts';
import { orderReducer } from '../orders/order.ts';
import { shipmentReducer } from '../tracking/shipment.ts';
import type { Reducers } from './types.ts';

/** One reducer per aggregate kind. */
export const reducers: Reducers = {
  order: orderReducer,
  customer: customerReducer,
  shipment: shipmentReducer,
  case: caseReducer,
};
