import { describe, expect, it } from 'vitest';
import { beats, isTerminal } from '../../../functions/core/tracking/status-precedence.ts';
import { checkpoint, run, tracking } from './builders.ts';

const obs = (status: Parameters<typeof beats>[0]['status'], at: string, key = 'e') => ({
  status,
  at,
  key,
});

describe('status precedence', () => {
  it('lets a later observation win within the same class', () => {
    expect(
      beats(obs('exception', '2026-11-21T10:00:00Z'), obs('out_for_delivery', '2026-11-21T09:00:00Z')),
    ).toBe(true);
    expect(beats(obs('in_transit', '2026-11-21T11:00:00Z'), obs('exception', '2026-11-21T10:00:00Z'))).toBe(
      true,
    );
    expect(
      beats(obs('out_for_delivery', '2026-11-21T09:00:00Z'), obs('exception', '2026-11-21T10:00:00Z')),
    ).toBe(false);
  });

  it('never lets anything non-terminal beat a delivery, however late', () => {
    const delivered = obs('delivered', '2026-11-21T10:00:00Z');
    for (const status of ['in_transit', 'exception', 'returning', 'out_for_delivery', 'expired'] as const) {
      expect(beats(obs(status, '2026-12-30T00:00:00Z'), delivered)).toBe(false);
    }
  });

  it('never lets a pending or info-received report move a parcel that is on its way back', () => {
    expect(beats(obs('pending', '2026-11-25T00:00:00Z'), obs('in_transit', '2026-11-21T00:00:00Z'))).toBe(
      false,
    );
    expect(
      beats(obs('info_received', '2026-11-25T00:00:00Z'), obs('in_transit', '2026-11-21T00:00:00Z')),
    ).toBe(false);
  });

  it('lets a later returned beat an earlier delivered, and not the other way round', () => {
    const delivered = obs('delivered', '2026-11-21T10:00:00Z');
    expect(beats(obs('returned', '2026-11-25T10:00:00Z'), delivered)).toBe(true);
    expect(beats(obs('returned', '2026-11-20T10:00:00Z'), delivered)).toBe(false);
  });

  it('breaks a tie at the same time by rank, then by the key of the reported values', () => {
    const at = '2026-11-21T10:00:00Z';
    expect(beats(obs('exception', at), obs('out_for_delivery', at))).toBe(true);
    expect(beats(obs('in_transit', at, 'b'), obs('in_transit', at, 'a'))).toBe(true);
    expect(beats(obs('in_transit', at, 'a'), obs('in_transit', at, 'a'))).toBe(false);
  });

  it('counts only delivered and returned as terminal', () => {
    expect(['delivered', 'returned'].every((s) => isTerminal(s as 'delivered'))).toBe(true);
    expect(isTerminal('returning')).toBe(false);
    expect(isTerminal('exception')).toBe(false);
  });
});

describe('shipment status is monotonic', () => {
  const inTransit = tracking({
    eventId: 'a1',
    status: 'in_transit',
    checkpoints: [checkpoint('2026-11-20T10:00:00Z', 'in_transit')],
  });
  const delivered = tracking({
    eventId: 'a2',
    status: 'delivered',
    checkpoints: [
      checkpoint('2026-11-21T10:00:00Z', 'delivered'),
      checkpoint('2026-11-20T10:00:00Z', 'in_transit'),
    ],
  });
  // A second provider that lags behind: its newest scan is newer than nothing we know of, but it
  // still says "in transit".
  const laggingLater = tracking({
    eventId: 'k1',
    provider: 'kuaidi100',
    status: 'in_transit',
    subStatus: '0',
    checkpoints: [checkpoint('2026-11-22T08:00:00Z', 'in_transit', '快件已到达【上海转运中心】')],
  });

  it('keeps a delivered parcel delivered when a late or lagging in-transit arrives', () => {
    const { state } = run([inTransit, delivered, laggingLater]);
    expect(state?.status).toBe('delivered');
    expect(state?.deliveredAt).toBe('2026-11-21T10:00:00.000Z');
    // The lagging provider's scan is still a fact worth keeping.
    expect(state?.checkpoints.map((c) => c.at)).toEqual([
      '2026-11-22T08:00:00.000Z',
      '2026-11-21T10:00:00.000Z',
      '2026-11-20T10:00:00.000Z',
    ]);
  });

  it('reaches the same status whichever order the three arrive in', () => {
    const orders = [
      [inTransit, delivered, laggingLater],
      [laggingLater, delivered, inTransit],
      [delivered, inTransit, laggingLater],
    ];
    const results = orders.map((events) => run(events).state);
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  it('takes a newer failed attempt after out-for-delivery as news', () => {
    const { state } = run([
      tracking({
        eventId: 'o',
        status: 'out_for_delivery',
        checkpoints: [checkpoint('2026-11-21T08:00:00Z', 'out_for_delivery')],
      }),
      tracking({
        eventId: 'f',
        status: 'failed_attempt',
        subStatus: 'AttemptFail_001',
        checkpoints: [checkpoint('2026-11-21T15:00:00Z', 'failed_attempt')],
      }),
    ]);
    expect(state).toMatchObject({ status: 'failed_attempt', subStatus: 'AttemptFail_001' });
  });
});

describe('same-instant reports of one parcel', () => {
  // Two providers report the same scan time with different sub-statuses; either may be re-sent later
  // under a new event id. The tie is broken on the reported values, so no arrival order and no
  // re-send changes which one stands.
  const at = '2026-11-21T09:00:00Z';
  const refused = (eventId: string) =>
    tracking({
      eventId,
      status: 'exception',
      subStatus: 'Exception_003',
      checkpoints: [checkpoint(at, 'exception')],
    });
  const damaged = (eventId: string) =>
    tracking({
      eventId,
      status: 'exception',
      subStatus: 'Exception_013',
      checkpoints: [checkpoint(at, 'exception')],
    });

  it('keeps one winner whatever the arrival order and however often a report is re-sent', () => {
    const outcomes = [
      [refused('a'), damaged('b')],
      [damaged('b'), refused('a')],
      [refused('a'), damaged('b'), refused('c')],
      [damaged('b'), refused('c'), refused('a'), damaged('d')],
    ].map((events) => run(events).state?.subStatus);
    expect(new Set(outcomes).size).toBe(1);
    expect(['Exception_003', 'Exception_013']).toContain(outcomes[0]);
  });
});
