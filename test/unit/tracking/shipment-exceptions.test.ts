import { describe, expect, it } from 'vitest';
import { caseIdFor } from '../../../functions/core/ids.ts';
import { CanonicalEvent } from '../../../schemas/events.ts';
import { checkpoint, ctx, emitted, fulfillment, notices, run, SHIPMENT_ID, tracking } from './builders.ts';

// A carrier exception tells the customer what happens next, and the canonical problem it carries
// (never the raw provider code) decides whether staff get a case: one per problem, whatever the order.

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
        caseId: caseIdFor(SHIPMENT_ID, 'delivery_refused'),
        caseType: 'return_refund',
        origin: 'system',
        reasonCode: 'delivery_refused',
        orderId: '820982911946154508',
        shipmentId: SHIPMENT_ID,
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
