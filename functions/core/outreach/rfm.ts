import type { Customer } from '../../../schemas/customer.ts';
import type { Segment } from '../../../schemas/shop.ts';

/**
 * Where the scores change (docs/notifications.md): four ascending thresholds each, for scores 2 to 5.
 * Recency counts days since the last order (fewer is better); frequency counts orders; monetary
 * sums the order totals in minor units (of the currency most of the customer's orders are in).
 */
export interface RfmThresholds {
  recencyDays: readonly [number, number, number, number];
  frequency: readonly [number, number, number, number];
  monetary: readonly [number, number, number, number];
}

export const DEFAULT_RFM: RfmThresholds = {
  recencyDays: [30, 60, 90, 180],
  frequency: [2, 3, 5, 10],
  monetary: [20_000, 80_000, 200_000, 500_000],
};

export interface Rfm {
  recencyDays: number;
  frequency: number;
  monetary: number;
  currency?: string;
  /** 1 (worst) to 5 (best) each. */
  r: number;
  f: number;
  m: number;
  segment: Segment;
}

/** 1 + how many thresholds the value reaches. */
const up = (value: number, t: readonly number[]) => 1 + t.filter((x) => value >= x).length;
/** 5 − how many thresholds the value passes (recency: fewer days is better). */
const down = (value: number, t: readonly number[]) => 5 - t.filter((x) => value > x).length;

/**
 * The customer's RFM scores and segment as of `now`, from what the customer aggregate keeps
 * current on every order event (its orders with their times and totals). Undefined before a first
 * order. Recency moves with time alone, so it is computed when asked, never stored.
 *
 * Segments, first match wins:
 * - champions: bought recently, often and much (R, F, M ≥ 4)
 * - loyal: buys often and not long ago (F ≥ 4, or F ≥ 3 with M ≥ 4; R ≥ 3)
 * - recent: a recent buyer who is not (yet) a regular (R ≥ 4)
 * - at_risk: used to buy often, has not for a while (R ≤ 2, F ≥ 3)
 * - inactive: not for a while, and not often (R ≤ 2)
 * - needs_attention: the middle (R = 3)
 */
export function rfmOf(customer: Customer, now: string, t: RfmThresholds = DEFAULT_RFM): Rfm | undefined {
  if (!customer.lastOrderAt) return undefined;
  const recencyDays = Math.max(
    0,
    Math.floor((Date.parse(now) - Date.parse(customer.lastOrderAt)) / 86_400_000),
  );
  const frequency = customer.orderIds.length;
  const totals = Object.values(customer.orderTotals ?? {});
  const byCurrency = new Map<string, number>();
  for (const x of totals) byCurrency.set(x.currency ?? '', (byCurrency.get(x.currency ?? '') ?? 0) + 1);
  const currency = [...byCurrency.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  const monetary = totals.filter((x) => (x.currency ?? '') === currency).reduce((sum, x) => sum + x.total, 0);
  const r = down(recencyDays, t.recencyDays);
  const f = up(frequency, t.frequency);
  const m = up(monetary, t.monetary);
  const segment: Segment =
    r >= 4 && f >= 4 && m >= 4
      ? 'champions'
      : r >= 3 && (f >= 4 || (f >= 3 && m >= 4))
        ? 'loyal'
        : r >= 4
          ? 'recent'
          : r <= 2 && f >= 3
            ? 'at_risk'
            : r <= 2
              ? 'inactive'
              : 'needs_attention';
  return { recencyDays, frequency, monetary, ...(currency && { currency }), r, f, m, segment };
}

/** A VIP: in one of the shop's VIP segments, or tagged with one of its VIP tags. */
export function isVip(
  customer: Pick<Customer, 'tags'>,
  segment: Segment | undefined,
  vip: { segments: readonly Segment[]; tags: readonly string[] },
): boolean {
  return (
    (segment !== undefined && vip.segments.includes(segment)) ||
    (customer.tags ?? []).some((t) => vip.tags.includes(t))
  );
}
