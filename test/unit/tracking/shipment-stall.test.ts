import { describe, expect, it } from 'vitest';
import { caseIdFor } from '../../../functions/core/ids.ts';
import { noticeId } from '../../../functions/core/tracking/milestones.ts';
import { shipmentReducer } from '../../../functions/core/tracking/shipment.ts';
import { CanonicalEvent } from '../../../schemas/events.ts';
import {
  checkpoint,
  ctx,
  delivered,
  emitted,
  fulfillment,
  inTransit,
  notices,
  outForDelivery,
  run,
  SHIPMENT_ID,
  timers,
  tracking,
} from './builders.ts';

// A parcel that goes quiet is checked by a timer at its last checkpoint plus the shop's limit; the
// check stalls it (notice and case) only if nothing newer arrived and it is not delivered.

describe('shipment reducer: stall detection', () => {
  const HOUR = 3_600_000;
  const lastScan = '2026-11-20T02:00:00.000Z';
  const due = new Date(Date.parse(lastScan) + 72 * HOUR).toISOString();

  function timerFrom(effects: ReturnType<typeof run>['effects']) {
    const timer = timers(effects).at(-1);
    if (timer?.kind !== 'timer') throw new Error('no timer scheduled');
    return timer;
  }

  it('schedules a stall check at the last checkpoint + 72 h', () => {
    const { effects } = run([fulfillment, inTransit]);
    const timer = timerFrom(effects);
    expect(timer).toMatchObject({
      dueAt: due,
      event: {
        type: 'TimerFired',
        kind: 'shipment.stall_check',
        occurredAt: due,
        target: { aggregate: 'shipment', id: SHIPMENT_ID },
        data: { rule: 'silence', since: lastScan },
      },
    });
    expect(() => CanonicalEvent.parse(timer.event)).not.toThrow();
  });

  it('stalls the parcel when the timer fires with nothing newer, with a notice and a case', () => {
    const setup = run([fulfillment, inTransit], ctx({ stallRemedy: 'refund' }));
    const fired = shipmentReducer.apply(
      setup.state,
      timerFrom(setup.effects).event,
      ctx({ stallRemedy: 'refund' }),
    );
    expect(fired.state!.stalled).toMatchObject({
      since: due,
      reasonCode: 'shipment_stalled',
      basis: lastScan,
    });
    expect(notices(fired.effects)).toEqual([
      expect.objectContaining({ template: 'shipment.stalled', id: noticeId(SHIPMENT_ID, 'stalled') }),
    ]);
    expect(emitted(fired.effects, 'CaseRequested')).toEqual([
      expect.objectContaining({
        caseId: caseIdFor(SHIPMENT_ID, 'shipment_stalled'),
        reasonCode: 'shipment_stalled',
        caseType: 'refund_only',
        proposedRemedy: 'refund',
        occurredAt: due,
      }),
    ]);
  });

  it('does nothing for a stale timer: a newer checkpoint arrived meanwhile', () => {
    const setup = run([fulfillment, inTransit]);
    const staleTimer = timerFrom(setup.effects).event;
    const later = run([outForDelivery], ctx(), setup.state);
    const fired = shipmentReducer.apply(later.state, staleTimer, ctx());
    expect(fired.state).toBeUndefined();
    expect(fired.effects).toEqual([]);
    // ...and the newer checkpoint scheduled its own check.
    expect(timerFrom(later.effects).dueAt).toBe('2026-11-24T01:00:00.000Z');
  });

  it('does nothing when the timer finds the parcel delivered', () => {
    const setup = run([fulfillment, inTransit]);
    const timer = timerFrom(setup.effects).event;
    // A delivery report without a scan of its own: the quiet-since time is unchanged, the timer not stale.
    const bareDelivery = tracking({
      eventId: 'bare',
      status: 'delivered',
      occurredAt: '2026-11-21T00:00:00Z',
    });
    const done = run([bareDelivery, timer], ctx(), setup.state);
    expect(done.state?.lastCheckpointAt).toBe(lastScan);
    expect(done.state?.stalled).toBeUndefined();
    expect(emitted(done.effects, 'CaseRequested')).toEqual([]);
  });

  it('clears the stall when a new checkpoint arrives, keeping the history', () => {
    const setup = run([fulfillment, inTransit]);
    const stalled = run([timerFrom(setup.effects).event], ctx(), setup.state);
    expect(stalled.state?.stalled).toBeDefined();
    const moving = run([outForDelivery], ctx(), stalled.state);
    expect(moving.state?.stalled).toBeUndefined();
    expect(moving.state?.stallHistory).toEqual([
      expect.objectContaining({
        reasonCode: 'shipment_stalled',
        since: due,
        clearedAt: '2026-11-21T01:00:00.000Z',
      }),
    ]);
  });

  it('checks a parcel with no carrier information after the pending limit (48 h from shipping)', () => {
    const { state, effects } = run([fulfillment]);
    const timer = timerFrom(effects);
    expect(timer.dueAt).toBe('2026-11-21T08:00:00.000Z');
    const fired = shipmentReducer.apply(state, timer.event, ctx());
    expect(fired.state!.stalled).toMatchObject({ rule: 'pending', reasonCode: 'no_tracking_info' });
    expect(emitted(fired.effects, 'CaseRequested').map((c) => c.reasonCode)).toEqual(['no_tracking_info']);
  });

  it('re-arms instead of stalling when the shop raised its limit after the timer was set', () => {
    const setup = run([fulfillment, inTransit]);
    const fired = shipmentReducer.apply(setup.state, timerFrom(setup.effects).event, ctx({ stallHours: 96 }));
    expect(fired.state!.stalled).toBeUndefined();
    expect(timerFrom(fired.effects).dueAt).toBe(new Date(Date.parse(lastScan) + 96 * HOUR).toISOString());
  });

  it('stalls at once when the provider stops tracking before delivery', () => {
    const stop = tracking({
      eventId: 'stop',
      provider: '17track',
      status: 'in_transit',
      checkpoints: [
        checkpoint('2026-11-20T02:00:00Z', 'in_transit', 'Departed facility', { location: 'Shenzhen' }),
      ],
      stopped: { reason: '17TRACK stopped tracking (TRACKING_STOPPED) before delivery' },
    });
    const { state, effects } = run([fulfillment, inTransit, stop]);
    expect(state?.stalled).toMatchObject({ rule: 'stopped', reasonCode: 'tracking_stopped' });
    expect(notices(effects).at(-1)).toMatchObject({ template: 'shipment.stalled' });
    expect(emitted(effects, 'CaseRequested').map((c) => c.reasonCode)).toEqual(['tracking_stopped']);
  });

  it('does not stall a delivered parcel whose tracking ended', () => {
    const end = { ...delivered, eventId: 'end', stopped: { reason: 'Kuaidi100 shutdown' } };
    const { state } = run([fulfillment, end]);
    expect(state?.stalled).toBeUndefined();
  });

  it('schedules nothing for a delivered parcel', () => {
    const { effects } = run([delivered]);
    expect(timers(effects)).toEqual([]);
  });
});
