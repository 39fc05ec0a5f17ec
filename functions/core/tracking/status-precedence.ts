import type { ShipmentStatus } from '../../../schemas/names.ts';

/*
 * The current status is the greatest observation under one total order, so it is the same whatever
 * order the observations arrived in (max is associative and commutative):
 *
 *   (class, time, rank, key)
 *
 * - class: pending < info_received < on the way < delivered/returned. A higher class wins whatever the
 *   times: a late "in transit" (or a second provider that has just subscribed and still says
 *   "pending") never moves a parcel back, and nothing non-terminal undoes a delivery.
 * - time: within a class the later observation wins, so a newer exception or failed attempt after
 *   "out for delivery" is real news, and a newer "in transit" after an exception means it recovered.
 *   Between the two terminals the later wins too: returned after delivered (the carrier took it back)
 *   is the newer truth; a `returning` after delivered is not (it is non-terminal).
 * - rank: at the very same time, the further-along or more specific status wins.
 * - key: the last tie-break, derived from the observation's values (status, sub-status, provider
 *   words), so a re-sent observation under a new event id can never flip a tie.
 */

const CLASS: Record<ShipmentStatus, number> = {
  pending: 0,
  info_received: 1,
  in_transit: 2,
  out_for_delivery: 2,
  failed_attempt: 2,
  available_for_pickup: 2,
  exception: 2,
  returning: 2,
  expired: 2,
  delivered: 3,
  returned: 3,
};

const RANK: Record<ShipmentStatus, number> = {
  pending: 0,
  info_received: 1,
  in_transit: 2,
  expired: 3,
  out_for_delivery: 4,
  available_for_pickup: 5,
  failed_attempt: 6,
  exception: 7,
  returning: 8,
  delivered: 9,
  returned: 10,
};

export interface StatusObservation {
  status: ShipmentStatus;
  at: string;
  key: string;
}

/** True when `a` beats `b` (strictly). Times are UTC ISO strings, so they compare as text. */
export function beats(a: StatusObservation, b: StatusObservation | undefined): boolean {
  if (!b) return true;
  if (CLASS[a.status] !== CLASS[b.status]) return CLASS[a.status] > CLASS[b.status];
  if (a.at !== b.at) return a.at > b.at;
  if (RANK[a.status] !== RANK[b.status]) return RANK[a.status] > RANK[b.status];
  return a.key > b.key;
}

/** Delivered or returned: the parcel's journey is over; no stall, no later non-terminal status. */
export function isTerminal(status: ShipmentStatus): boolean {
  return CLASS[status] === 3;
}

/** Orders checkpoint statuses for dedupe (two providers reporting the same scan differently). */
export function statusRank(status: ShipmentStatus): number {
  return RANK[status];
}
