import { customerReducer } from '../customers/customer.ts';
import { orderReducer } from '../orders/order.ts';
import type { AggregateKind, Reducer } from './types.ts';

/** One reducer per aggregate kind. */
export const reducers: Partial<Record<AggregateKind, Reducer<unknown>>> = {
  order: orderReducer as Reducer<unknown>,
  customer: customerReducer as Reducer<unknown>,
};
