import { isDeepStrictEqual } from 'node:util';
import type { CanonicalEvent } from '../../../schemas/events.ts';
import type { Shipment } from '../../../schemas/shipment.ts';
import type { Applied, ApplyContext, Effect, Reducer } from '../engine/types.ts';
import { planCaseProgress, planCases, planDeliveryConfirmation } from './follow-ons.ts';
import { emptyShipment, mergeFulfillment, mergeTracking } from './merge-facts.ts';
import { planNotices } from './milestones.ts';
import { fireStallCheck, reconcileStall, STALL_TIMER_KIND, scheduleStallTimer } from './stall.ts';

/**
 * The Shipment state machine.
 * 1. merge the event's facts (checkpoints, status observation, fulfillment) — order-independent joins;
 *    or, for a stall timer, decide whether the parcel is stalled;
 * 2. end a stall a newer fact disproves, or stall at once on a provider stop;
 * 3. schedule a stall timer if the quiet-since time moved;
 * 4. announce what is newly true (current milestone, stall), request staff cases, confirm delivery.
 * Events it has no business with leave the state as it is.
 */
export const shipmentReducer: Reducer<Shipment> = {
  apply(state: Shipment | undefined, event: CanonicalEvent, ctx: ApplyContext): Applied<Shipment> {
    const unchanged: Applied<Shipment> = { effects: [] };
    const effects: Effect[] = [];
    let s: Shipment;
    switch (event.type) {
      case 'TrackingUpdated':
        s = state ? structuredClone(state) : emptyShipment(event);
        mergeTracking(s, event);
        break;
      case 'ShipmentCreated':
        s = state ? structuredClone(state) : emptyShipment(event);
        mergeFulfillment(s, event);
        break;
      case 'TimerFired':
        // A timer for a shipment that is not there (never written with it) has nothing to check.
        if (!state || event.kind !== STALL_TIMER_KIND) return unchanged;
        s = structuredClone(state);
        effects.push(...fireStallCheck(s, event, ctx.shop));
        break;
      default:
        return unchanged;
    }
    reconcileStall(s);
    effects.push(...scheduleStallTimer(state, s, ctx.shop));
    effects.push(
      ...planNotices(s),
      ...planCases(s, ctx),
      ...planDeliveryConfirmation(state, s),
      ...planCaseProgress(state, s),
    );
    // A duplicate or a stale timer changes nothing: hand back the same object, so nothing is written.
    if (state && effects.length === 0 && isDeepStrictEqual(state, s)) return unchanged;
    return { state: s, effects };
  },
};
