import { describe, expect, it } from 'vitest';
import { caseIdFor, shipmentIdFor } from '../../../functions/core/ids.ts';
import { noticeId } from '../../../functions/core/tracking/milestones.ts';
import { shipmentReducer } from '../../../functions/core/tracking/shipment.ts';
import { stableId } from '../../../functions/lib/crypto.ts';
import { CanonicalEvent } from '../../../schemas/events.ts';
import { Shipment } from '../../../schemas/shipment.ts';
import { checkpoint, created, ctx, emitted, notices, run, timers, tracking } from './builders.ts';

const ID = shipmentIdFor('1Z999AA10123456784');

const inTransit = tracking({
  eventId: 'as-1',
  status: 'in_transit',
  carrier: 'ups',
  checkpoints: [
    checkpoint('2026-11-20T02:00:00Z', 'in_transit', 'Departed facility', { location: 'Shenzhen' }),
  ],
});
const outForDelivery = tracking({
  eventId: 'as-2',
  status: 'out_for_delivery',
  carrier: 'ups',
  checkpoints: [
    checkpoint('2026-11-21T01:00:00Z', 'out_for_delivery', 'Out for delivery'),
    checkpoint('2026-11-20T02:00:00Z', 'in_transit', 'Departed facility', { location: 'Shenzhen' }),
  ],
});
const delivered = tracking({
  eventId: 'as-3',
  status: 'delivered',
  subStatus: 'Delivered_003',
  carrier: 'ups',
  signedBy: 'LI LEI',
  deliveredTo: 'addressee',
  checkpoints: [
    checkpoint('2026-11-21T06:30:00Z', 'delivered', 'Delivered, signed by LI LEI'),
    checkpoint('2026-11-21T01:00:00Z', 'out_for_delivery', 'Out for delivery'),
    checkpoint('2026-11-20T02:00:00Z', 'in_transit', 'Departed facility', { location: 'Shenzhen' }),
  ],
});
const fulfillment = created();

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('shipment reducer: merging', () => {
  it('keeps an unknown number as an unattached shipment that announces nothing', () => {
    const { state, effects } = run([inTransit]);
    expect(state).toMatchObject({
      shipmentId: ID,
      status: 'in_transit',
      carrier: 'ups',
      sources: ['aftership'],
    });
    expect(state?.orderId).toBeUndefined();
    expect(notices(effects)).toEqual([]);
    expect(() => Shipment.parse(state)).not.toThrow();
  });

  it('attaches it when the fulfillment arrives and announces what is true now', () => {
    const { state, effects } = run([inTransit, outForDelivery, fulfillment]);
    expect(state).toMatchObject({
      orderId: '820982911946154508',
      direction: 'outbound',
      shippedAt: '2026-11-19T08:00:00.000Z',
    });
    // Out for delivery is current: "your parcel shipped" would be old news.
    expect(notices(effects).map((n) => n.kind === 'notify' && n.template)).toEqual([
      'shipment.out_for_delivery',
    ]);
  });

  it('announces shipped when the fulfillment comes first', () => {
    const { effects } = run([fulfillment, inTransit]);
    expect(notices(effects)).toEqual([
      expect.objectContaining({
        template: 'shipment.shipped',
        id: noticeId(ID, 'shipped'),
        orderId: '820982911946154508',
      }),
    ]);
  });

  it('merges checkpoints from every push, deduped and newest first', () => {
    const { state } = run([inTransit, delivered, outForDelivery, inTransit]);
    expect(state?.checkpoints.map((c) => c.message)).toEqual([
      'Delivered, signed by LI LEI',
      'Out for delivery',
      'Departed facility',
    ]);
    expect(state?.lastCheckpointAt).toBe('2026-11-21T06:30:00.000Z');
  });

  it('keeps only the newest 100 checkpoints', () => {
    const many = Array.from({ length: 130 }, (_, i) =>
      checkpoint(new Date(Date.UTC(2026, 10, 1) + i * 3_600_000).toISOString(), 'in_transit', `scan ${i}`),
    ).reverse();
    const { state } = run([tracking({ eventId: 'big', status: 'in_transit', checkpoints: many })]);
    expect(state?.checkpoints).toHaveLength(100);
    expect(state?.checkpoints[0]?.message).toBe('scan 129');
    expect(state?.checkpoints[99]?.message).toBe('scan 30');
  });

  it('reports no change for a duplicate (nothing to write), with no effects', () => {
    const first = run([fulfillment, inTransit]);
    const again = shipmentReducer.apply(first.state, inTransit, ctx());
    expect(again.state).toBeUndefined();
    expect(again.effects).toEqual([]);
  });

  it('ignores events that are not about shipments', () => {
    const { state } = run([inTransit]);
    const order = CanonicalEvent.parse({
      type: 'OrderPaid',
      eventId: 'p',
      provider: 'shopify',
      occurredAt: '2026-11-19T00:00:00Z',
      orderId: '1',
      paidAt: '2026-11-19T00:00:00Z',
    });
    expect(shipmentReducer.apply(state, order, ctx())).toEqual({ effects: [] });
  });

  it('records each expected delivery date with when it was first promised', () => {
    const { state } = run([
      tracking({
        eventId: 'e1',
        status: 'in_transit',
        occurredAt: '2026-11-20T00:00:00Z',
        expectedDelivery: '2026-11-23T00:00:00Z',
      }),
      tracking({
        eventId: 'e2',
        status: 'in_transit',
        occurredAt: '2026-11-21T00:00:00Z',
        expectedDelivery: '2026-11-23T00:00:00Z',
      }),
      tracking({
        eventId: 'e3',
        status: 'in_transit',
        occurredAt: '2026-11-22T00:00:00Z',
        expectedDelivery: '2026-11-25T00:00:00Z',
      }),
    ]);
    expect(state?.expectedDelivery).toBe('2026-11-25T00:00:00.000Z');
    expect(state?.expectedDeliveryHistory).toEqual([
      { at: '2026-11-20T00:00:00.000Z', value: '2026-11-23T00:00:00.000Z' },
      { at: '2026-11-22T00:00:00.000Z', value: '2026-11-25T00:00:00.000Z' },
    ]);
  });

  it('keeps the newest expected delivery even when an older promise arrives last', () => {
    const newer = tracking({
      eventId: 'n',
      status: 'in_transit',
      occurredAt: '2026-11-22T00:00:00Z',
      expectedDelivery: '2026-11-25T00:00:00Z',
    });
    const older = tracking({
      eventId: 'o',
      status: 'in_transit',
      occurredAt: '2026-11-20T00:00:00Z',
      expectedDelivery: '2026-11-23T00:00:00Z',
    });
    expect(run([newer, older]).state).toEqual(run([older, newer]).state);
    expect(run([newer, older]).state?.expectedDelivery).toBe('2026-11-25T00:00:00.000Z');
  });

  it('flags a later event naming a different known carrier as a conflict', () => {
    const { state } = run([
      fulfillment,
      tracking({
        eventId: 'x',
        provider: '17track',
        status: 'in_transit',
        carrier: 'fedex',
        occurredAt: '2026-11-20T00:00:00Z',
      }),
    ]);
    expect(state).toMatchObject({ carrier: 'ups', carrierConflict: ['fedex'] });
  });

  it("prefers a known carrier over a marketplace's 'Other'", () => {
    const { state } = run([created({ carrier: 'Other' }), inTransit]);
    expect(state?.carrier).toBe('ups');
    expect(state?.carrierConflict).toBeUndefined();
  });
});

describe('shipment reducer: delivery', () => {
  it('emits exactly one OrderDelivered and one delivered notice in every arrival order', () => {
    for (const order of permutations([fulfillment, inTransit, outForDelivery, delivered])) {
      const withDuplicates = [...order, delivered, fulfillment];
      const { state, effects } = run(withDuplicates);
      const confirmations = emitted(effects, 'OrderDelivered');
      expect(confirmations).toEqual([
        {
          type: 'OrderDelivered',
          eventId: stableId(ID, 'OrderDelivered'),
          provider: 'system',
          occurredAt: '2026-11-21T06:30:00.000Z',
          orderId: '820982911946154508',
          orderProvider: 'shopify',
          deliveredAt: '2026-11-21T06:30:00.000Z',
          shipmentId: ID,
          confirmedBy: 'carrier',
        },
      ]);
      expect(() => CanonicalEvent.parse(confirmations[0])).not.toThrow();
      const deliveredNotices = notices(effects).filter((n) => n.id === noticeId(ID, 'delivered'));
      expect(deliveredNotices).toHaveLength(1);
      expect(deliveredNotices[0]).toMatchObject({
        template: 'shipment.delivered',
        data: { inspectParcelReminder: true, reportDamageVia: 'after_sale_request', signedBy: 'LI LEI' },
      });
      expect(state?.status).toBe('delivered');
    }
  });

  it('never announces out-for-delivery after the delivery was already known', () => {
    const { effects } = run([fulfillment, delivered, outForDelivery, inTransit]);
    expect(notices(effects).map((n) => n.kind === 'notify' && n.template)).toEqual([
      'shipment.shipped',
      'shipment.delivered',
    ]);
  });

  it('sends the delivered-elsewhere notice instead of the plain one for a neighbour or a locker', () => {
    const neighbour = tracking({
      eventId: 'nb',
      status: 'delivered',
      subStatus: 'Delivered_005',
      deliveredTo: 'other_person',
      signedBy: 'Neighbour at no. 12',
      checkpoints: [checkpoint('2026-11-21T06:30:00Z', 'delivered', 'Left with neighbour')],
    });
    const { effects } = run([fulfillment, neighbour, delivered]);
    const delivery = notices(effects).filter((n) => n.id === noticeId(ID, 'delivered'));
    expect(delivery).toEqual([
      expect.objectContaining({
        template: 'shipment.delivered_elsewhere',
        data: expect.objectContaining({ deliveredTo: 'other_person', signedBy: 'Neighbour at no. 12' }),
      }),
    ]);
  });

  it('tracks a return parcel with return.* notices and confirms no order delivery', () => {
    const returnParcel = created({ direction: 'return', eventId: 'ret', occurredAt: '2026-11-25T00:00:00Z' });
    const { effects } = run([returnParcel, { ...delivered, occurredAt: '2026-11-27T00:00:00.000Z' }]);
    expect(notices(effects).map((n) => n.kind === 'notify' && n.template)).toEqual([
      'return.shipped',
      'return.delivered',
    ]);
    expect(emitted(effects, 'OrderDelivered')).toEqual([]);
  });

  it('announces available for pickup with the pickup point and code', () => {
    const station = tracking({
      eventId: 'k',
      provider: 'kuaidi100',
      status: 'available_for_pickup',
      subStatus: '501',
      pickup: { point: '菜鸟驿站(幸福里店)', code: '3-2-1021' },
      checkpoints: [checkpoint('2026-11-21T03:00:00Z', 'available_for_pickup', '快件已由菜鸟驿站代收')],
    });
    const { effects } = run([fulfillment, station]);
    expect(notices(effects).at(-1)).toMatchObject({
      template: 'shipment.available_for_pickup',
      data: { pickupPoint: '菜鸟驿站(幸福里店)', pickupCode: '3-2-1021' },
    });
  });
});

describe('shipment reducer: exceptions and staff cases', () => {
  const refused = tracking({
    eventId: 'ex',
    status: 'exception',
    subStatus: 'Exception_003',
    problem: 'delivery_refused',
    checkpoints: [
      checkpoint('2026-11-21T05:00:00Z', 'exception', 'Recipient refused delivery', {
        subStatus: 'Exception_003',
        problem: 'delivery_refused',
      }),
    ],
  });

  it('apologises to the customer and requests a staff case for a refused parcel', () => {
    const { state, effects } = run([fulfillment, refused]);
    expect(notices(effects).at(-1)).toMatchObject({
      template: 'shipment.exception',
      data: { apology: true, nextStep: 'shop_will_contact_you' },
    });
    const cases = emitted(effects, 'CaseRequested');
    expect(cases).toEqual([
      expect.objectContaining({
        caseId: caseIdFor(ID, 'delivery_refused'),
        caseType: 'return_refund',
        origin: 'system',
        reasonCode: 'delivery_refused',
        orderId: '820982911946154508',
        shipmentId: ID,
        proposedRemedy: 'none',
        occurredAt: '2026-11-21T05:00:00.000Z',
      }),
    ]);
    expect(() => CanonicalEvent.parse(cases[0])).not.toThrow();
    expect(state?.casesRequested).toEqual(['delivery_refused']);
  });

  it('raises the case when the fulfillment arrives after the refusal, and only once', () => {
    const { effects } = run([refused, fulfillment, refused, fulfillment]);
    expect(emitted(effects, 'CaseRequested').map((c) => c.reasonCode)).toEqual(['delivery_refused']);
  });

  it("offers the shop's stall remedy for a lost parcel (17TRACK Exception_Lost)", () => {
    const lost = tracking({
      eventId: 'lost',
      provider: '17track',
      status: 'exception',
      subStatus: 'Exception_Lost',
      problem: 'parcel_lost',
      checkpoints: [checkpoint('2026-11-22T00:00:00Z', 'exception', 'Item lost')],
    });
    const { effects } = run([fulfillment, lost], ctx({ stallRemedy: 'reship' }));
    expect(emitted(effects, 'CaseRequested')).toEqual([
      expect.objectContaining({ reasonCode: 'parcel_lost', caseType: 'reship', proposedRemedy: 'reship' }),
    ]);
  });

  it('asks for no case for an exception staff need not act on (customs delay)', () => {
    const customs = tracking({
      eventId: 'c',
      status: 'exception',
      subStatus: 'Exception_004',
      occurredAt: '2026-11-21T00:00:00Z',
    });
    const { effects } = run([fulfillment, customs]);
    expect(emitted(effects, 'CaseRequested')).toEqual([]);
    expect(notices(effects).at(-1)).toMatchObject({ data: { nextStep: 'wait_for_carrier_update' } });
  });

  it('reads the canonical problem, never the raw code: a code without a problem raises nothing', () => {
    const rawOnly = tracking({ ...refused, eventId: 'raw', problem: undefined, checkpoints: [] });
    const { state, effects } = run([fulfillment, rawOnly]);
    expect(state).toMatchObject({ status: 'exception', subStatus: 'Exception_003' });
    expect(state?.problem).toBeUndefined();
    expect(emitted(effects, 'CaseRequested')).toEqual([]);
  });

  it('asks the customer to check the address for an address problem, and asks staff for nothing', () => {
    const moved = tracking({
      eventId: 'moved',
      status: 'exception',
      subStatus: 'Exception_002',
      problem: 'address_problem',
      occurredAt: '2026-11-21T00:00:00Z',
    });
    const { state, effects } = run([fulfillment, moved]);
    expect(state?.problem).toBe('address_problem');
    expect(notices(effects).at(-1)).toMatchObject({
      template: 'shipment.exception',
      data: { nextStep: 'check_address', subStatus: 'Exception_002' },
    });
    expect(emitted(effects, 'CaseRequested')).toEqual([]);
  });

  it('counts any returned status as returned to sender, problem or not', () => {
    const back = tracking({ eventId: 'back', status: 'returned', occurredAt: '2026-11-24T00:00:00Z' });
    const { effects } = run([fulfillment, back]);
    expect(emitted(effects, 'CaseRequested').map((c) => c.reasonCode)).toEqual(['returned_to_sender']);
  });

  it('keeps the problem with the status that brought it: a newer scan clears it, the case stays', () => {
    const recovered = tracking({ eventId: 'ok', status: 'in_transit', occurredAt: '2026-11-22T00:00:00Z' });
    for (const events of [
      [fulfillment, refused, recovered],
      [recovered, refused, fulfillment],
    ]) {
      const { state, effects } = run(events);
      expect(state).toMatchObject({ status: 'in_transit', staffReasons: [{ code: 'delivery_refused' }] });
      expect(state?.problem).toBeUndefined();
      expect(emitted(effects, 'CaseRequested').map((c) => c.reasonCode)).toEqual(['delivery_refused']);
    }
  });

  it('raises the case for a problem on an old checkpoint of a parcel delivered since', () => {
    const late = tracking({
      eventId: 'late',
      status: 'delivered',
      checkpoints: [
        checkpoint('2026-11-24T00:00:00Z', 'delivered', 'Delivered'),
        checkpoint('2026-11-21T00:00:00Z', 'exception', 'Damaged in transit', { problem: 'parcel_damaged' }),
      ],
    });
    const { state, effects } = run([fulfillment, late]);
    expect(state?.problem).toBeUndefined();
    expect(emitted(effects, 'CaseRequested').map((c) => c.reasonCode)).toEqual(['parcel_damaged']);
  });

  it('does not announce shipped after an exception notice went out', () => {
    const recovered = tracking({ eventId: 'ok', status: 'in_transit', occurredAt: '2026-11-22T00:00:00Z' });
    const { effects } = run([refused, fulfillment, recovered]);
    expect(notices(effects).map((n) => n.kind === 'notify' && n.template)).toEqual(['shipment.exception']);
  });

  it('sends one exception notice per shipment, however often it goes wrong', () => {
    const again = tracking({
      eventId: 'ex2',
      status: 'exception',
      subStatus: 'Exception_005',
      occurredAt: '2026-11-23T00:00:00Z',
    });
    const recovered = tracking({ eventId: 'ok', status: 'in_transit', occurredAt: '2026-11-22T00:00:00Z' });
    const { effects } = run([fulfillment, refused, recovered, again]);
    expect(
      notices(effects).filter((n) => n.kind === 'notify' && n.template === 'shipment.exception'),
    ).toHaveLength(1);
  });
});

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
        target: { aggregate: 'shipment', id: ID },
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
      expect.objectContaining({ template: 'shipment.stalled', id: noticeId(ID, 'stalled') }),
    ]);
    expect(emitted(fired.effects, 'CaseRequested')).toEqual([
      expect.objectContaining({
        caseId: caseIdFor(ID, 'shipment_stalled'),
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
