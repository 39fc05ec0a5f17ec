import type { Policy } from '../../../schemas/policy.ts';
import type { PolicyInputParsed, ReturnReason } from '../../../schemas/policy-io.ts';
import { windowEnd } from './time.ts';

/*
 * The return window of a request: from which instant it counts (delivery, order or shipment), how
 * long it is for a reason, and in which zone its days are counted.
 */

export interface ReturnWindow {
  /** Days, after `byReason`. */
  days: number;
  /** Undefined when the order has not reached the window's start (not delivered, not shipped). */
  startMs?: number;
  endMs?: number;
}

/** The zone a shop's days are counted in: its own, else China's for zh-CN shops, else UTC. */
export function zoneOf(shop: PolicyInputParsed['shop']): string {
  if (shop.timezone) return shop.timezone;
  return shop.locale.toLowerCase() === 'zh-cn' ? 'Asia/Shanghai' : 'UTC';
}

export function windowStart(policy: Policy, order: PolicyInputParsed['order']): string | undefined {
  switch (policy.window.from) {
    case 'delivery':
      return order.deliveredAt;
    case 'order':
      return order.placedAt;
    case 'fulfillment':
      return order.shippedAt;
  }
}

export function windowAppliesTo(policy: Policy, input: PolicyInputParsed): boolean {
  return policy.window.appliesTo.includes(input.request.type);
}

export function returnWindow(
  policy: Policy,
  input: PolicyInputParsed,
  reason: ReturnReason | undefined,
  zone: string,
): ReturnWindow {
  const days = (reason && policy.window.byReason[reason]) ?? policy.window.days;
  const start = windowStart(policy, input.order);
  if (start === undefined) return { days };
  const startMs = Date.parse(start);
  return { days, startMs, endMs: windowEnd(startMs, days, policy.window.endsAt, zone) };
}
