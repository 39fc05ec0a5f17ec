import { isDeepStrictEqual } from 'node:util';
import * as z from 'zod';
import type { EventOf } from '../../../schemas/events.ts';
import type { Shipment, Stall } from '../../../schemas/shipment.ts';
import { stableId } from '../../lib/crypto.ts';
import { timerEffect } from '../engine/timer-effect.ts';
import type { Effect, ShopSettings } from '../engine/types.ts';
import { isTerminal } from './status-precedence.ts';

/*
 * Stall detection. A parcel is quiet since its last checkpoint ("silence", after
 * `stallHours`), or, with no checkpoint at all, since it was first seen or shipped ("pending", after
 * `pendingHours`). Each time that quiet-since time moves, a timer is scheduled for quiet-since +
 * limit; when it fires it only counts if the quiet-since time is still the one it was scheduled for
 * (nothing newer arrived) and the parcel is still on its way. A provider stop stalls at once.
 * A stall is derived from facts, so a newer checkpoint (or delivery) clears it; the ended stall is kept
 * in `stallHistory`.
 */

export const STALL_TIMER_KIND = 'shipment.stall_check';

const StallTimerData = z.object({ rule: z.enum(['silence', 'pending']), since: z.string() });
type QuietBasis = z.infer<typeof StallTimerData>;

export function quietBasis(s: Shipment): QuietBasis {
  return s.lastCheckpointAt
    ? { rule: 'silence', since: s.lastCheckpointAt }
    : { rule: 'pending', since: s.firstSeenAt };
}

export function addHours(iso: string, hours: number): string {
  return new Date(Date.parse(iso) + hours * 3_600_000).toISOString();
}

function limitHours(rule: QuietBasis['rule'], shop: ShopSettings): number {
  return rule === 'silence' ? shop.tracking.stallHours : shop.tracking.pendingHours;
}

function stallTimer(s: Shipment, basis: QuietBasis, shop: ShopSettings): Effect {
  const dueAt = addHours(basis.since, limitHours(basis.rule, shop));
  // The due time is part of the id, so a timer re-armed after the shop raised its limit is a new timer.
  const id = stableId(s.shipmentId, 'stall', basis.rule, basis.since, dueAt);
  return timerEffect(id, dueAt, STALL_TIMER_KIND, { aggregate: 'shipment', id: s.shipmentId }, { ...basis });
}

/** A timer whenever the quiet-since time moved (a newer checkpoint, the first sighting, a fulfillment). */
export function scheduleStallTimer(prev: Shipment | undefined, next: Shipment, shop: ShopSettings): Effect[] {
  if (isTerminal(next.status)) return [];
  const basis = quietBasis(next);
  if (prev && isDeepStrictEqual(quietBasis(prev), basis)) return [];
  return [stallTimer(next, basis, shop)];
}

/**
 * A stall timer came due. Stale (a newer checkpoint arrived, or the parcel got its first one) or moot
 * (delivered, returned, waiting at a pickup point, already stalled): nothing. If the shop raised its
 * limit after the timer was set, it is re-armed for the new due time instead.
 */
export function fireStallCheck(s: Shipment, event: EventOf<'TimerFired'>, shop: ShopSettings): Effect[] {
  const data = StallTimerData.safeParse(event.data);
  if (!data.success) return [];
  const basis = quietBasis(s);
  if (!isDeepStrictEqual(data.data, basis)) return [];
  if (isTerminal(s.status) || s.status === 'available_for_pickup' || s.stalled) return [];
  if (event.occurredAt < addHours(basis.since, limitHours(basis.rule, shop)))
    return [stallTimer(s, basis, shop)];
  s.stalled =
    basis.rule === 'silence'
      ? {
          since: event.occurredAt,
          rule: 'silence',
          basis: basis.since,
          reasonCode: 'shipment_stalled',
          reason: `No new checkpoint since ${basis.since}.`,
        }
      : {
          since: event.occurredAt,
          rule: 'pending',
          basis: basis.since,
          reasonCode: 'no_tracking_info',
          reason: `No carrier information since ${basis.since}.`,
        };
  return [];
}

/** A provider stop that still holds: not delivered, and no checkpoint newer than the stop. */
function stopStall(s: Shipment): Stall | undefined {
  if (!s.stopped || isTerminal(s.status)) return undefined;
  if (s.lastCheckpointAt && s.lastCheckpointAt > s.stopped.at) return undefined;
  return {
    since: s.stopped.at,
    rule: 'stopped',
    reasonCode: 'tracking_stopped',
    reason: `The tracking provider stopped tracking: ${s.stopped.reason}`,
  };
}

function stillHolds(stall: Stall, s: Shipment): boolean {
  if (isTerminal(s.status)) return false;
  switch (stall.rule) {
    case 'silence':
      return s.lastCheckpointAt === stall.basis;
    case 'pending':
      return s.lastCheckpointAt === undefined;
    case 'stopped':
      return isDeepStrictEqual(stopStall(s), stall);
  }
}

/** When the fact that ended a stall happened. */
function clearedAt(stall: Stall, s: Shipment): string {
  if (isTerminal(s.status)) return s.statusAt ?? s.lastEventAt;
  if (s.lastCheckpointAt && s.lastCheckpointAt > (stall.basis ?? stall.since)) return s.lastCheckpointAt;
  return s.stopped?.at ?? s.lastEventAt;
}

const STALL_HISTORY_CAP = 20;

/** Ends a stall that no longer holds, and stalls at once on a provider stop. Run after every merge. */
export function reconcileStall(s: Shipment): void {
  const stall = s.stalled;
  if (stall && !stillHolds(stall, s)) {
    s.stallHistory = [...s.stallHistory, { ...stall, clearedAt: clearedAt(stall, s) }].slice(
      -STALL_HISTORY_CAP,
    );
    delete s.stalled;
  }
  if (!s.stalled) {
    const stopped = stopStall(s);
    if (stopped) s.stalled = stopped;
  }
}
