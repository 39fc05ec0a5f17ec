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
    expect(effects).toEqual([]);
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
});
