import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Effect } from '../../../functions/core/engine/types.ts';
import {
  currentMilestone,
  type Milestone,
  milestoneKey,
  noticeId,
} from '../../../functions/core/tracking/milestones.ts';
import {
  type CanonicalEvent,
  CanonicalEvent as CanonicalEventSchema,
  TrackingProblem,
} from '../../../schemas/events.ts';
import { ShipmentStatus } from '../../../schemas/names.ts';
import type { Shipment } from '../../../schemas/shipment.ts';
import { run } from './builders.ts';

/*
 * What arrival order may and may not change, stated as properties over random streams of
 * TrackingUpdated and ShipmentCreated events, shuffled and with duplicates inserted.
 *
 * A. The facts (the whole state except the ledger: milestonesNotified, casesRequested, stallHistory)
 *    are identical for every arrival order and any duplication.
 * B. Within one stream no effect is emitted twice: notice ids and emitted event ids are unique.
 * C. What the final facts call for happens exactly once, in every order: OrderDelivered iff the
 *    shipment ends attached, outbound and delivered; the notice of the final milestone (delivered,
 *    delivered elsewhere, returned, exception, ...; `shipped` excepted, see milestones.ts); a staff
 *    case for every staff reason in the final facts and for a final stall.
 * D. Nothing is invented: every notice is the milestone of some status a provider reported (or
 *    `shipped` from a fulfillment, or `stalled` from a provider stop), every case a reason seen.
 * E. The ledger agrees with the effects: milestonesNotified = the notices sent, casesRequested = the
 *    cases requested.
 *
 * What is NOT claimed: that every order sends the same set of notices. A notice cannot be taken back,
 * and what is true when an event arrives depends on what arrived before it (an "out for delivery"
 * that arrives before "delivered" is announced; after it, it is not). Hence the ledger is left out
 * of A, and C/D bound the notices from both sides instead.
 */

const T0 = Date.UTC(2026, 10, 20);
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const NUMBERS = ['1Z999AA1', '1z999aa1', '1Z 999-AA1'];

// Scans that several pushes re-send; some share time and message with different status or spacing,
// as when two providers report the same scan.
const SCANS = [
  { at: at(0), status: 'info_received', message: 'Label created' },
  { at: at(60), status: 'in_transit', message: 'Picked up', location: 'Shenzhen' },
  { at: at(60), status: 'in_transit', message: 'Picked  up ', location: 'Shenzhen' },
  { at: at(120), status: 'in_transit', message: 'Departed' },
  {
    at: at(120),
    status: 'exception',
    subStatus: 'Exception_003',
    problem: 'delivery_refused',
    message: 'Departed',
  },
  {
    at: at(180),
    status: 'exception',
    subStatus: 'Exception_003',
    problem: 'delivery_refused',
    message: 'Refused',
  },
  // The same scan reported with and without a problem, and with another one.
  { at: at(180), status: 'exception', subStatus: 'Exception_003', message: 'Refused' },
  {
    at: at(180),
    status: 'exception',
    subStatus: 'Exception_003',
    problem: 'parcel_lost',
    message: 'Refused',
  },
  { at: at(240), status: 'out_for_delivery', message: 'Out for delivery' },
  { at: at(300), status: 'delivered', message: 'Delivered' },
  { at: at(300), status: 'returned', message: 'Returned to sender' },
] as const;

const optional = <T>(arb: fc.Arbitrary<T>, freq = 2) => fc.option(arb, { nil: undefined, freq });

const trackingArb = fc.record({
  provider: fc.constantFrom('aftership', '17track', 'kuaidi100'),
  status: fc.constantFrom(...ShipmentStatus.options),
  subStatus: optional(
    fc.constantFrom('Exception_003', 'Exception_Lost', '14', '209', 'Delivered_005', 'InTransit_001'),
  ),
  // Independent of subStatus on purpose: the core must read only the canonical problem.
  problem: optional(fc.constantFrom(...TrackingProblem.options)),
  minute: fc.integer({ min: 0, max: 400 }),
  number: fc.constantFrom(...NUMBERS),
  scans: fc.subarray([...SCANS]),
  carrier: optional(fc.constantFrom('ups', 'fedex', 'Other', 'yto')),
  expectedDay: optional(fc.integer({ min: 2, max: 5 })),
  deliveredTo: optional(fc.constantFrom('addressee', 'other_person', 'locker')),
  signedBy: optional(fc.constantFrom('LI LEI', 'Neighbour')),
  pickupCode: optional(fc.constantFrom('3-2-1021', '8-1-0007')),
  stopped: optional(fc.constant({ reason: 'Kuaidi100 abort: 60天无变化' }), 6),
});

const fulfillmentArb = fc.record({
  minute: fc.integer({ min: -600, max: 400 }),
  shippedMinute: fc.integer({ min: -900, max: 0 }),
  number: fc.constantFrom(...NUMBERS),
  carrier: optional(fc.constantFrom('UPS', 'Other', '圆通速递')),
});

const scenarioArb = fc.record({
  trackings: fc.array(trackingArb, { minLength: 1, maxLength: 8 }),
  fulfillments: fc.array(fulfillmentArb, { maxLength: 2 }),
  direction: fc.constantFrom('outbound', 'return'),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

function eventsOf(scenario: Scenario): CanonicalEvent[] {
  const trackings = scenario.trackings.map((t, i) =>
    CanonicalEventSchema.parse({
      type: 'TrackingUpdated',
      eventId: `t-${i}`,
      provider: t.provider,
      occurredAt: at(t.minute),
      trackingNumber: t.number,
      status: t.status,
      subStatus: t.subStatus,
      problem: t.problem,
      carrier: t.carrier,
      checkpoints: t.scans,
      expectedDelivery: t.expectedDay === undefined ? undefined : at(t.expectedDay * 1440),
      deliveredTo: t.deliveredTo,
      signedBy: t.signedBy,
      pickup: t.pickupCode === undefined ? undefined : { code: t.pickupCode },
      stopped: t.stopped,
    }),
  );
  const fulfillments = scenario.fulfillments.map((f, i) =>
    CanonicalEventSchema.parse({
      type: 'ShipmentCreated',
      eventId: `f-${i}`,
      provider: 'shopify',
      occurredAt: at(f.minute),
      orderId: '820982911946154508',
      trackingNumber: f.number,
      carrier: f.carrier,
      direction: scenario.direction,
      shippedAt: at(f.shippedMinute),
    }),
  );
  return [...fulfillments, ...trackings];
}

/** A shuffle (by random sort keys) with some events delivered again at random places. */
const streamArb = scenarioArb.chain((scenario) => {
  const events = eventsOf(scenario);
  const n = events.length;
  return fc
    .record({
      keys: fc.array(fc.integer(), { minLength: n, maxLength: n }),
      duplicates: fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.nat()), { maxLength: 4 }),
    })
    .map(({ keys, duplicates }) => {
      const shuffled = events
        .map((event, i) => ({ event, key: keys[i]!, i }))
        .sort((a, b) => a.key - b.key || a.i - b.i)
        .map((x) => x.event);
      for (const [index, position] of duplicates) {
        shuffled.splice(position % (shuffled.length + 1), 0, events[index]!);
      }
      return { events, shuffled };
    });
});

function factsOf(s: Shipment | undefined) {
  if (!s) return s;
  const { milestonesNotified: _m, casesRequested: _c, stallHistory: _h, ...facts } = s;
  return facts;
}

const MILESTONES: Milestone[] = [
  'shipped',
  'out_for_delivery',
  'available_for_pickup',
  'failed_attempt',
  'delivered',
  'delivered_elsewhere',
  'exception',
  'returning',
  'returned',
  'stalled',
];

const noticesOf = (effects: Effect[]) => effects.flatMap((e) => (e.kind === 'notify' ? [e] : []));
const emitsOf = (effects: Effect[]) => effects.flatMap((e) => (e.kind === 'emit' ? [e.event] : []));

function checkStream(events: CanonicalEvent[], final: Shipment, effects: Effect[]): void {
  const notices = noticesOf(effects);
  const emits = emitsOf(effects);
  const attached = final.orderId !== undefined;

  // B: nothing twice.
  expect(new Set(notices.map((n) => n.id)).size).toBe(notices.length);
  expect(new Set(emits.map((e) => e.eventId)).size).toBe(emits.length);

  // C: what the final facts call for, exactly once.
  const confirms = attached && final.direction === 'outbound' && final.deliveredAt !== undefined;
  expect(emits.filter((e) => e.type === 'OrderDelivered')).toHaveLength(confirms ? 1 : 0);
  const milestone = currentMilestone(final);
  if (attached && milestone && milestone !== 'shipped') {
    expect(notices.filter((n) => n.id === noticeId(final.shipmentId, milestone))).toHaveLength(1);
  }
  const caseCodes = new Set(emits.flatMap((e) => (e.type === 'CaseRequested' ? [e.reasonCode] : [])));
  if (attached) {
    for (const reason of final.staffReasons) expect(caseCodes).toContain(reason.code);
    if (final.stalled) expect(caseCodes).toContain(final.stalled.reasonCode);
  } else {
    expect(notices).toEqual([]);
    expect(emits).toEqual([]);
  }

  // D: nothing invented.
  const possible = new Set<string>();
  for (const event of events) {
    if (event.type === 'ShipmentCreated') possible.add('shipped');
    if (event.type !== 'TrackingUpdated') continue;
    if (event.stopped || event.status === 'expired') possible.add('stalled');
    for (const deliveredTo of ['addressee', 'other_person'] as const) {
      const m = currentMilestone({ ...final, status: event.status, deliveredTo });
      if (m) possible.add(milestoneKey(m));
    }
  }
  const keyOf = new Map(MILESTONES.map((m) => [noticeId(final.shipmentId, m), milestoneKey(m)]));
  for (const n of notices) expect(possible).toContain(keyOf.get(n.id));
  const reasonsSeen = new Set([...final.staffReasons.map((r) => r.code), 'tracking_stopped']);
  for (const code of caseCodes) expect(reasonsSeen).toContain(code);

  // E: the ledger is what was sent.
  expect(new Set(final.milestonesNotified)).toEqual(new Set(notices.map((n) => keyOf.get(n.id))));
  expect(new Set(final.casesRequested)).toEqual(caseCodes);
}

describe('shipment: arrival order and duplicates', () => {
  it('ends in the same facts, and sends what they call for exactly once, in any order', () => {
    fc.assert(
      fc.property(streamArb, ({ events, shuffled }) => {
        const inOrder = run(events);
        const anyOrder = run(shuffled);
        expect(factsOf(anyOrder.state)).toEqual(factsOf(inOrder.state));
        checkStream(events, inOrder.state!, inOrder.effects);
        checkStream(events, anyOrder.state!, anyOrder.effects);
      }),
      { numRuns: 400 },
    );
  });
});
