import type { OrderStatus } from '../../../schemas/names.ts';
import type { Order } from '../../../schemas/order.ts';

/**
 * The order status is derived from facts, never stored as "the last status we heard". That is what
 * makes it independent of arrival order: a late `paid` cannot undo a cancellation, because the
 * cancellation fact is still there. Precedence, first match wins:
 * refunded in full > cancelled (unless restored later) > partially refunded > delivered >
 * fulfilled / partially fulfilled > paid > placed.
 */
export function deriveStatus(order: Omit<Order, 'status'>): OrderStatus {
  const total = order.totals?.total;
  if (total !== undefined && total > 0 && order.refundedTotal >= total) return 'refunded';
  if (isCancelled(order)) return 'cancelled';
  if (order.refundedTotal > 0) return 'partially_refunded';
  if (order.deliveredAt) return 'delivered';
  if (order.fulfillment === 'fulfilled') return 'fulfilled';
  if (order.fulfillment === 'partially_fulfilled') return 'partially_fulfilled';
  // A shipment with no fulfilment word from the marketplace (Taobao, generic) means it went out.
  if (!order.fulfillment && order.shipments.some((s) => s.direction === 'outbound')) return 'fulfilled';
  if (order.paidAt) return 'paid';
  return 'placed';
}

export function isCancelled(order: Pick<Order, 'cancelledAt' | 'restoredAt'>): boolean {
  // Strictly later: a restore stamped at the very instant of the cancel does not undo it.
  return !!order.cancelledAt && !(order.restoredAt && order.restoredAt > order.cancelledAt);
}
