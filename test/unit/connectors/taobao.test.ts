import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { taobao } from '../../../functions/adapters/connectors/taobao.ts';
import type { RawRequest } from '../../../functions/app/connectors.ts';
import { hmacSha256, sha256 } from '../../../functions/lib/crypto.ts';
import { UnparseablePayloadError } from '../../../functions/lib/errors.ts';
import { CanonicalEvent, type CanonicalEvent as Event } from '../../../schemas/events.ts';
import { loadSample, parseContext, rawRequest } from '../../support/requests.ts';

const secret = 'tmc-bridge-secret';
const config = { secrets: [secret], settings: {} };
const sign = (body: Buffer, key = secret) => `sha256=${hmacSha256(key, body, 'hex')}`;

function signed(body: Buffer | string, headers: Record<string, string> = {}): RawRequest {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  return rawRequest(bytes, { 'x-aftersale-signature': sign(bytes), ...headers });
}

/** A sample with its raw text edited (never re-serialised: that would round the ids). */
function edited(file: string, from: string, to: string): Buffer {
  const text = loadSample('taobao', file).toString('utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  return Buffer.from(text.replace(from, to), 'utf8');
}

/** Parses a verified request and validates every event as the worker does. */
function events(body: Buffer | string): Event[] {
  const req = signed(body);
  expect(taobao.verify(req, config)).toBe(true);
  const result = taobao.parse(req, parseContext(taobao.dedupeKey(req)));
  if (result.kind !== 'events') throw new Error(`expected events, got ignored: ${result.reason}`);
  return result.events.map((e) => CanonicalEvent.parse(e));
}

const sample = (file: string) => events(loadSample('taobao', file));

describe('taobao connector: signatures', () => {
  const body = loadSample('taobao', 'trade-create-big-tid.json');

  it('verifies a forwarded TMC message signed with the shop secret', () => {
    expect(taobao.verify(signed(body), config)).toBe(true);
  });

  it('accepts the previous secret while a rotation is under way', () => {
    expect(taobao.verify(signed(body), { secrets: ['new-secret', secret], settings: {} })).toBe(true);
  });

  it('rejects a signature made with another secret', () => {
    const req = rawRequest(body, { 'x-aftersale-signature': sign(body, 'someone-else') });
    expect(taobao.verify(req, config)).toBe(false);
  });

  it('rejects a body tampered by one byte', () => {
    const tampered = edited('trade-create-big-tid.json', '199.00', '199.01');
    expect(tampered.length).toBe(body.length);
    expect(taobao.verify(rawRequest(tampered, { 'x-aftersale-signature': sign(body) }), config)).toBe(false);
  });

  it('rejects a request without the signature header', () => {
    expect(taobao.verify(rawRequest(body), config)).toBe(false);
  });
});

describe('taobao connector: dedupe key', () => {
  it('prefers the bridge event id header', () => {
    const req = signed(loadSample('taobao', 'trade-create.json'), { 'x-aftersale-event-id': ' erp-42 ' });
    expect(taobao.dedupeKey(req)).toBe('erp-42');
  });

  it('falls back to the TMC message id, exact beyond 2^53', () => {
    const req = signed(loadSample('taobao', 'trade-create-big-tid.json'));
    expect(taobao.dedupeKey(req)).toBe('tmc:7149311212450271234');
  });

  it('hashes topic and content when the message has no id', () => {
    const content = '{\\"tid\\":4105329718216095712,\\"payment\\":\\"199.00\\"}';
    const body = (topic: string) =>
      `{"topic":"${topic}","content":"${content}","pub_time":"2026-11-20 10:15:00"}`;
    const key = taobao.dedupeKey(signed(body('taobao_trade_TradeBuyerPay')));
    const raw = `taobao_trade_TradeBuyerPay\u0000${content.replaceAll('\\"', '"')}`;
    expect(key).toBe(`sha256:${sha256(raw)}`);
    expect(taobao.dedupeKey(signed(body('taobao_trade_TradeBuyerPay')))).toBe(key);
    expect(taobao.dedupeKey(signed(body('taobao_trade_TradeSuccess')))).not.toBe(key);
  });
});

describe('taobao connector: ids above 2^53', () => {
  it('keeps tid 4105329718216095712 exact where JSON.parse would round it', () => {
    expect(String(Number('4105329718216095712'))).not.toBe('4105329718216095712');
    const [placed] = sample('trade-create-big-tid.json');
    expect(placed).toMatchObject({
      orderId: '4105329718216095712',
      order: { number: '4105329718216095712' },
    });
  });

  it('keeps refund_id and tid of a refund exact', () => {
    const [request] = sample('refund-created.json');
    expect(request).toMatchObject({ orderId: '2918463734761365258', requestId: '181784773340365852' });
  });
});

describe('taobao connector: trade topics', () => {
  it('maps TradeCreate to OrderPlaced with fen totals, CNY and pub_time read as China time', () => {
    expect(sample('trade-create-big-tid.json')).toEqual([
      expect.objectContaining({
        type: 'OrderPlaced',
        provider: 'taobao',
        orderId: '4105329718216095712',
        occurredAt: '2026-11-20T02:15:00.000Z',
        order: {
          number: '4105329718216095712',
          currency: 'CNY',
          providerStatus: 'WAIT_BUYER_PAY',
          placedAt: '2026-11-20T02:15:00.000Z',
          totals: { total: 19900, shipping: 1000 },
          customer: { externalId: 'AAHLuAVrAABxoR0DtQv2KKHi', name: 't**' },
        },
      }),
    ]);
    expect(sample('trade-create.json')[0]).toMatchObject({
      type: 'OrderPlaced',
      orderId: '192364827791084',
      order: { totals: { total: 12000 } },
    });
  });

  it('maps TradeBuyerPay to OrderPaid at the publish time', () => {
    expect(sample('trade-buyer-pay.json')).toEqual([
      expect.objectContaining({
        type: 'OrderPaid',
        orderId: '586070597376760',
        occurredAt: '2014-03-26T02:41:41.000Z',
        paidAt: '2014-03-26T02:41:41.000Z',
        order: expect.objectContaining({ currency: 'CNY', totals: { total: 3036 } }),
      }),
    ]);
    expect(sample('trade-buyer-pay-big-tid.json')[0]).toMatchObject({
      type: 'OrderPaid',
      paidAt: '2026-11-20T02:16:42.000Z',
      order: { providerStatus: 'WAIT_SELLER_SEND_GOODS', totals: { total: 19900, shipping: 1000 } },
    });
  });

  it('maps TradeSellerShip without a tracking number to a fulfilled order', () => {
    expect(sample('trade-seller-ship.json')).toEqual([
      expect.objectContaining({
        type: 'OrderUpdated',
        orderId: '4105329718216095712',
        occurredAt: '2026-11-21T01:00:00.000Z',
        order: expect.objectContaining({
          fulfillment: 'fulfilled',
          providerStatus: 'WAIT_BUYER_CONFIRM_GOODS',
        }),
      }),
    ]);
  });

  it('maps a partial consignment to partially_fulfilled', () => {
    const body = edited('trade-seller-ship.json', 'WAIT_BUYER_CONFIRM_GOODS', 'SELLER_CONSIGNED_PART');
    expect(events(body)[0]).toMatchObject({
      type: 'OrderUpdated',
      order: { fulfillment: 'partially_fulfilled' },
    });
  });

  it('maps TradeSellerShip with the ERP-added out_sid to ShipmentCreated', () => {
    expect(sample('trade-seller-ship-tracking.json')).toEqual([
      expect.objectContaining({
        type: 'ShipmentCreated',
        orderId: '4105329718216095712',
        carrier: '申通快递',
        trackingNumber: '888748115975',
        direction: 'outbound',
        shippedAt: '2026-11-21T01:00:00.000Z',
      }),
    ]);
  });

  it('maps TradeSuccess to a delivery the buyer confirmed', () => {
    expect(sample('trade-success.json')).toEqual([
      expect.objectContaining({
        type: 'OrderDelivered',
        orderId: '4105329718216095712',
        deliveredAt: '2026-11-25T10:30:05.000Z',
        confirmedBy: 'buyer',
      }),
    ]);
  });

  it('maps TradeClose to OrderCancelled keeping the Taobao status', () => {
    expect(sample('trade-close.json')).toEqual([
      expect.objectContaining({
        type: 'OrderCancelled',
        orderId: '192364827791084',
        cancelledAt: '2014-03-28T13:58:09.000Z',
        order: expect.objectContaining({ providerStatus: 'TRADE_CLOSED_BY_TAOBAO' }),
      }),
    ]);
  });
});

describe('taobao connector: refund topics', () => {
  it('maps RefundCreated (refund_bill) to a refund-only request timed by content.modified', () => {
    expect(sample('refund-created.json')).toEqual([
      expect.objectContaining({
        type: 'AfterSaleRequested',
        orderId: '2918463734761365258',
        requestId: '181784773340365852',
        caseType: 'refund_only',
        status: 'requested',
        amount: 100,
        currency: 'CNY',
        // modified 14:17:15 China time, not pub_time 14:17:16
        occurredAt: '2022-09-29T06:17:15.000Z',
      }),
    ]);
  });

  it('maps RefundCreated of a return_bill to return_refund', () => {
    expect(sample('refund-created-return.json')[0]).toMatchObject({
      caseType: 'return_refund',
      status: 'requested',
      amount: 5978,
    });
  });

  it('lets an ERP-added has_good_return decide the case type', () => {
    const body = edited(
      'refund-created.json',
      '\\"bill_type\\":\\"refund_bill\\"',
      '\\"has_good_return\\":true',
    );
    expect(events(body)[0]).toMatchObject({ caseType: 'return_refund' });
    const no = edited(
      'refund-created-return.json',
      '\\"bill_type\\":\\"return_bill\\"',
      '\\"has_good_return\\":false',
    );
    expect(events(no)[0]).toMatchObject({ caseType: 'refund_only' });
  });

  it('maps the seller agreeing: approved for money only, awaiting_return when goods come back', () => {
    expect(sample('refund-seller-agree.json')[0]).toMatchObject({
      caseType: 'refund_only',
      status: 'approved',
    });
    expect(sample('refund-seller-agree-return.json')[0]).toMatchObject({
      caseType: 'return_refund',
      status: 'awaiting_return',
      occurredAt: '2022-10-08T05:45:00.000Z',
    });
  });

  it('maps the seller refusing to rejected', () => {
    expect(sample('refund-seller-refuse.json')).toEqual([
      expect.objectContaining({
        type: 'AfterSaleRequested',
        status: 'rejected',
        occurredAt: '2022-09-29T07:05:11.000Z',
      }),
    ]);
  });

  it('maps the buyer returning goods to return_in_transit with the return parcel', () => {
    expect(sample('refund-buyer-return-goods.json')).toEqual([
      expect.objectContaining({
        type: 'AfterSaleRequested',
        status: 'return_in_transit',
        caseType: 'return_refund',
        returnCarrier: '申通快递',
        returnTrackingNumber: '888748115975',
      }),
    ]);
  });

  it('maps RefundSuccess to a refunded case and an OrderRefunded of refund_fee', () => {
    const [request, refund] = sample('refund-success.json');
    expect(request).toMatchObject({ type: 'AfterSaleRequested', status: 'refunded', amount: 100 });
    expect(refund).toEqual(
      expect.objectContaining({
        type: 'OrderRefunded',
        orderId: '2918463734761365258',
        refundId: '181784773340365852',
        amount: 100,
        currency: 'CNY',
        occurredAt: '2022-09-29T07:02:43.000Z',
      }),
    );
    expect(refund!.eventId).not.toBe(request!.eventId);
    expect(sample('refund-success-return.json')[1]).toMatchObject({ type: 'OrderRefunded', amount: 5978 });
  });

  it('maps RefundClosed to closed', () => {
    expect(sample('refund-closed.json')).toEqual([expect.objectContaining({ status: 'closed' })]);
  });
});

describe('taobao connector: everything else', () => {
  it('ignores topics it does not track, such as the TMC doc example and item messages', () => {
    const doc = signed(loadSample('taobao', 'tmc-doc-example.json'));
    expect(taobao.parse(doc, parseContext('x'))).toEqual({
      kind: 'ignored',
      reason: expect.stringContaining('TradeCreate'),
    });
    const item = '{"topic":"taobao_item_ItemUpshelf","content":"{\\"num_iid\\":36007760723}","id":1}';
    expect(taobao.parse(signed(item), parseContext('y')).kind).toBe('ignored');
  });

  it('names the topic for the inbox listing', () => {
    expect(taobao.topic(signed(loadSample('taobao', 'refund-success.json')))).toBe(
      'taobao_refund_RefundSuccess',
    );
  });

  it('produces the same event ids for the same request and valid events for every sample', () => {
    const dir = join(import.meta.dirname, '..', '..', '..', 'events', 'taobao');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'tmc-doc-example.json');
    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const file of files) {
      const first = sample(file);
      expect(first.length, file).toBeGreaterThan(0);
      expect(sample(file)).toEqual(first);
    }
  });

  it('refuses bodies it cannot read with a reason', () => {
    const ctx = parseContext('bad');
    expect(() => taobao.parse(signed('{not json'), ctx)).toThrow(UnparseablePayloadError);
    expect(() => taobao.parse(signed('{"content":"{}"}'), ctx)).toThrow(/TMC message/);
    const badContent =
      '{"topic":"taobao_trade_TradeCreate","content":"{tid:1","pub_time":"2026-11-20 10:15:00"}';
    expect(() => taobao.parse(signed(badContent), ctx)).toThrow(/content is not JSON/);
    const noTime = '{"topic":"taobao_trade_TradeCreate","content":"{\\"tid\\":1,\\"payment\\":\\"1.00\\"}"}';
    expect(() => taobao.parse(signed(noTime), ctx)).toThrow(/pub_time/);
    const badMoney = edited('trade-create-big-tid.json', '199.00', '19x.00');
    expect(() => taobao.parse(signed(badMoney), ctx)).toThrow(UnparseablePayloadError);
  });
});
