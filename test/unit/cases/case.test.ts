import { describe, expect, it } from 'vitest';
import { caseReducer } from '../../../functions/core/cases/case.ts';
import { Case } from '../../../schemas/case.ts';
import { CanonicalEvent, type EventOf } from '../../../schemas/events.ts';
import { applyContext, shopSettings } from '../../support/shop.ts';

const ctx = applyContext(shopSettings({ tracking: { stallRemedy: 'reship' } }));

function requested(input: Partial<EventOf<'CaseRequested'>> = {}): EventOf<'CaseRequested'> {
  return CanonicalEvent.parse({
    type: 'CaseRequested',
    eventId: 'cr-1',
    provider: 'system',
    occurredAt: '2026-11-23T02:00:00Z',
    caseId: 'c0ffee',
    caseType: 'reship',
    origin: 'system',
    reason: 'No new checkpoint since 2026-11-20T02:00:00.000Z.',
    reasonCode: 'shipment_stalled',
    orderId: '820982911946154508',
    shipmentId: '1Z999AA10123456784',
    proposedRemedy: 'reship',
    ...input,
  }) as EventOf<'CaseRequested'>;
}

describe('case reducer', () => {
  it('opens a case for staff review with the request in its trail', () => {
    const { state, effects } = caseReducer.apply(undefined, requested(), ctx);
    expect(state).toEqual({
      caseId: 'c0ffee',
      number: 'RMA-C0FFEE',
      type: 'reship',
      status: 'pending_review',
      origin: 'system',
      reason: 'No new checkpoint since 2026-11-20T02:00:00.000Z.',
      reasonCode: 'shipment_stalled',
      orderId: '820982911946154508',
      shipmentId: '1Z999AA10123456784',
      proposedRemedy: 'reship',
      requestedAt: '2026-11-23T02:00:00.000Z',
      lines: [],
      refunds: [],
      refundedTotal: 0,
      slaBreaches: [],
      notes: [],
      stamps: {},
      decisionTrail: [
        {
          at: '2026-11-23T02:00:00.000Z',
          action: 'requested',
          by: 'system',
          note: 'No new checkpoint since 2026-11-20T02:00:00.000Z.',
        },
      ],
    });
    // The staff hear of the parcel problem at once, and again if the case still waits a day later.
    expect(
      effects.map((e) => (e.kind === 'notify' ? e.template : e.kind === 'timer' ? e.dueAt : e.kind)),
    ).toEqual(['staff.delivery_exception', '2026-11-24T02:00:00.000Z']);
    expect(effects[0]).toMatchObject({
      kind: 'notify',
      orderId: '820982911946154508',
      data: { caseId: 'c0ffee', reasonCode: 'shipment_stalled' },
    });
    expect(() => Case.parse(state)).not.toThrow();
  });

  it('changes nothing when the same case is requested again', () => {
    const first = caseReducer.apply(undefined, requested(), ctx);
    const again = caseReducer.apply(
      first.state,
      requested({
        eventId: 'cr-2',
        occurredAt: '2026-11-24T00:00:00.000Z',
        reason: 'again',
        proposedRemedy: 'refund',
      }),
      ctx,
    );
    expect(again.state).toBeUndefined();
    expect(again.effects).toEqual([]);
  });

  it('records who asked: a customer request is by the customer', () => {
    const { state } = caseReducer.apply(
      undefined,
      requested({ origin: 'customer', caseType: 'complaint' }),
      ctx,
    );
    expect(state).toMatchObject({
      origin: 'customer',
      type: 'complaint',
      decisionTrail: [{ by: 'customer' }],
    });
  });

  it('leaves a case alone for events that are not requests', () => {
    const first = caseReducer.apply(undefined, requested(), ctx);
    const timer = CanonicalEvent.parse({
      type: 'TimerFired',
      eventId: 't',
      provider: 'system',
      occurredAt: '2026-11-26T00:00:00Z',
      timerId: 't',
      kind: 'case.reminder',
      target: { aggregate: 'case', id: 'c0ffee' },
    });
    expect(caseReducer.apply(first.state, timer, ctx)).toEqual({ effects: [] });
  });

  it('alerts the staff once when a case still waits after the first-response hours, not when it moved', () => {
    const opened = caseReducer.apply(undefined, requested(), ctx);
    const waiting = (occurredAt: string) =>
      CanonicalEvent.parse({
        type: 'TimerFired',
        eventId: `w-${occurredAt}`,
        provider: 'system',
        occurredAt,
        timerId: 'w',
        kind: 'case.waiting',
        target: { aggregate: 'case', id: 'c0ffee' },
      });
    const fired = caseReducer.apply(opened.state, waiting('2026-11-24T02:00:00.000Z'), ctx);
    expect(fired.state).toBeUndefined();
    expect(fired.effects).toMatchObject([
      { kind: 'notify', template: 'staff.case_waiting', data: { caseId: 'c0ffee', hours: 24 } },
    ]);
    const decided = { ...structuredClone(opened.state!), status: 'approved' as const };
    expect(caseReducer.apply(decided, waiting('2026-11-24T02:00:00.000Z'), ctx)).toEqual({ effects: [] });
  });
});
