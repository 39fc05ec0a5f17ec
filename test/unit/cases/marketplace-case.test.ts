import { describe, expect, it } from 'vitest';
import type { Effect } from '../../../functions/core/engine/types.ts';
import { afterSaleCaseId } from '../../../functions/core/ids.ts';
import { stableId } from '../../../functions/lib/crypto.ts';
import type { CanonicalEvent } from '../../../schemas/events.ts';
import { foldEvents, parseDelivery } from '../../support/orders.ts';

const taobao = (file: string, key?: string) => parseDelivery({ provider: 'taobao', file }, key);
const doudian = (file: string) => parseDelivery({ provider: 'doudian', file });
const shopify = (file: string, topic: string) =>
  parseDelivery({ provider: 'shopify', file, headers: { 'x-shopify-topic': topic } });

const REFUND_TID = '2918463734761365258';
const REFUND_ID = '181784773340365852';
const TAOBAO_CASE = afterSaleCaseId('taobao', REFUND_ID);

const emitted = (effects: Effect[]) =>
  effects.filter((e): e is Extract<Effect, { kind: 'emit' }> => e.kind === 'emit');

describe('a marketplace after-sale request is a case', () => {
  const refundTopics = [
    'refund-created.json',
    'refund-seller-agree.json',
    'refund-success.json',
    'refund-seller-refuse.json',
    'refund-closed.json',
  ];

  it('takes the status of the latest report and the time of the first, in any arrival order', () => {
    const events = refundTopics.flatMap((f) => taobao(f)).filter((e) => e.type === 'AfterSaleRequested');
    expect(events).toHaveLength(5);
    const arrivals = [events, [...events].reverse(), [events[3]!, ...events.slice(0, 3), events[4]!]];
    const cases = arrivals.map((arrival) => foldEvents(arrival).case(TAOBAO_CASE));
    expect(cases[0]).toMatchObject({
      caseId: TAOBAO_CASE,
      origin: 'marketplace',
      status: 'closed',
      orderId: REFUND_TID,
      orderProvider: 'taobao',
      requestedAt: '2022-09-29T06:17:15.000Z',
      marketplace: {
        provider: 'taobao',
        requestId: REFUND_ID,
        status: 'closed',
        providerStatus: 'RefundClosed',
        updatedAt: '2022-09-30T01:12:00.000Z',
      },
    });
    expect(cases[1]).toEqual(cases[0]);
    expect(cases[2]).toEqual(cases[0]);
    // The trail lists each reported status once, oldest first, the first as the request.
    const trail = cases[0]!.decisionTrail;
    expect(trail[0]).toMatchObject({ action: 'requested', by: 'marketplace' });
    expect(trail.map((d) => d.at)).toEqual([...trail.map((d) => d.at)].sort());
    expect(trail.at(-1)).toMatchObject({ status: 'closed', action: 'marketplace_update' });
  });

  it('ranks a tie at the same instant: refused beats agreed (Douyin 201 and 204 at 15:00)', () => {
    const agreed = doudian('refund-agreed.json');
    const refused = doudian('refund-refused.json');
    expect(agreed[0]!.occurredAt).toBe(refused[0]!.occurredAt);
    for (const events of [
      [...agreed, ...refused],
      [...refused, ...agreed],
    ]) {
      const cases = Object.values(foldEvents(events).all('case'));
      expect(cases).toMatchObject([{ status: 'rejected', origin: 'marketplace' }]);
    }
  });

  it('plans exactly one return ShipmentCreated for a return tracking number, with a stable id', () => {
    const folded = foldEvents(taobao('refund-buyer-return-goods.json'), { followOns: false });
    const returns = emitted(folded.effects);
    expect(returns).toHaveLength(1);
    expect(returns[0]!.event).toEqual({
      type: 'ShipmentCreated',
      eventId: stableId(REFUND_TID, 'return-shipment', REFUND_ID, '888748115975', '2022-10-09T00:03:27.000Z'),
      provider: 'system',
      occurredAt: '2022-10-09T00:03:27.000Z',
      orderId: REFUND_TID,
      orderProvider: 'taobao',
      caseId: TAOBAO_CASE,
      trackingNumber: '888748115975',
      direction: 'return',
      shippedAt: '2022-10-09T00:03:27.000Z',
      carrier: '申通快递',
    });
    expect(folded.case(TAOBAO_CASE)?.marketplace?.returnTrackingNumber).toBe('888748115975');
    // The same message delivered again under another key plans the same event id.
    const again = foldEvents(
      [
        ...taobao('refund-buyer-return-goods.json'),
        ...taobao('refund-buyer-return-goods.json', 'redelivered'),
      ],
      { followOns: false },
    );
    expect(new Set(emitted(again.effects).map((e) => e.event.eventId))).toEqual(
      new Set([returns[0]!.event.eventId]),
    );
    // Reports without a parcel plan nothing.
    expect(emitted(foldEvents(taobao('refund-created-return.json'), { followOns: false }).effects)).toEqual(
      [],
    );
  });

  it('keeps amounts in integer minor units and ids as exact strings', () => {
    const c = foldEvents(taobao('refund-success-return.json')).case(TAOBAO_CASE)!;
    expect(Number.isInteger(c.amount)).toBe(true);
    expect(c.marketplace?.requestId).toBe(REFUND_ID);
  });

  it('opens a case for a Shopify return request, tied to its order', () => {
    const events: CanonicalEvent[] = shopify('returns-request.json', 'returns/request');
    const folded = foldEvents(events);
    const cases = Object.values(folded.all('case'));
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({
      origin: 'marketplace',
      orderProvider: 'shopify',
      type: 'return_refund',
    });
    const order = Object.values(folded.all('order'))[0] as { afterSales: Array<{ caseId: string }> };
    expect(order.afterSales.map((a) => a.caseId)).toEqual([(cases[0] as { caseId: string }).caseId]);
  });
});
