import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { doudian } from '../../../functions/adapters/connectors/doudian.ts';
import type { RawRequest } from '../../../functions/app/connectors.ts';
import { hmacSha256, md5, sha256 } from '../../../functions/lib/crypto.ts';
import { UnparseablePayloadError } from '../../../functions/lib/errors.ts';
import { CanonicalEvent, type CanonicalEvent as Event } from '../../../schemas/events.ts';
import { loadSample, parseContext, rawRequest } from '../../support/requests.ts';

const appKey = '7001234567890123456';
const appSecret = 'doudian-app-secret';
const config = { secrets: [appSecret], settings: { appKey } };

/** event-sign exactly as Douyin computes it: md5 hex of app_key + raw body + app_secret. */
const eventSign = (body: Buffer, key = appKey, secret = appSecret) =>
  md5(Buffer.concat([Buffer.from(key), body, Buffer.from(secret)]), 'hex');

function signed(body: Buffer | string, headers: Record<string, string> = {}): RawRequest {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  return rawRequest(bytes, { 'event-sign': eventSign(bytes), 'app-id': appKey, ...headers });
}

/** A sample with its raw text edited (never re-serialised: that would round the ids). */
function edited(file: string, from: string, to: string): Buffer {
  const text = loadSample('doudian', file).toString('utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
  return Buffer.from(text.replace(from, to), 'utf8');
}

function events(body: Buffer): Event[] {
  const req = signed(body);
  expect(doudian.verify(req, config)).toBe(true);
  const result = doudian.parse(req, parseContext(doudian.dedupeKey(req)));
  if (result.kind !== 'events') throw new Error(`expected events, got ignored: ${result.reason}`);
  return result.events.map((e) => CanonicalEvent.parse(e));
}

const sample = (file: string) => events(loadSample('doudian', file));
const P_ID = '4705288465508532862';
const AFTERSALE_ID = '7019638498291728652';

describe('doudian connector: signatures', () => {
  const body = loadSample('doudian', 'trade-paid.json');

  it('verifies md5(app_key + body + app_secret) from the event-sign header', () => {
    expect(doudian.verify(signed(body), config)).toBe(true);
  });

  it('accepts the signature in upper-case hex', () => {
    expect(doudian.verify(signed(body, { 'event-sign': eventSign(body).toUpperCase() }), config)).toBe(true);
  });

  it('accepts the previous app secret while a rotation is under way', () => {
    const rotating = { secrets: ['new-secret', appSecret], settings: { appKey } };
    expect(doudian.verify(signed(body), rotating)).toBe(true);
  });

  it('rejects a signature made with another secret', () => {
    const req = signed(body, { 'event-sign': eventSign(body, appKey, 'other-secret') });
    expect(doudian.verify(req, config)).toBe(false);
  });

  it('rejects a body tampered by one byte', () => {
    const tampered = edited('trade-paid.json', '"pay_amount\\":2990', '"pay_amount\\":2999');
    expect(tampered.length).toBe(body.length);
    expect(
      doudian.verify(rawRequest(tampered, { 'event-sign': eventSign(body), 'app-id': appKey }), config),
    ).toBe(false);
  });

  it('rejects a request without event-sign', () => {
    expect(doudian.verify(rawRequest(body, { 'app-id': appKey }), config)).toBe(false);
  });

  it('rejects an app-id other than the configured app key, even when signed with it', () => {
    const otherKey = '7009999999999999999';
    const req = signed(body, { 'app-id': otherKey, 'event-sign': eventSign(body, otherKey) });
    expect(doudian.verify(req, config)).toBe(false);
    expect(doudian.verify(rawRequest(body, { 'event-sign': eventSign(body) }), config)).toBe(false);
  });

  it('uses the app-id header as the app key when none is configured', () => {
    expect(doudian.verify(signed(body), { secrets: [appSecret], settings: {} })).toBe(true);
    expect(
      doudian.verify(rawRequest(body, { 'event-sign': eventSign(body) }), {
        secrets: [appSecret],
        settings: {},
      }),
    ).toBe(false);
  });

  it('supports sign-method hmac-sha256 and refuses unknown methods', () => {
    const signedString = Buffer.concat([Buffer.from(appKey), body, Buffer.from(appSecret)]);
    const hmac = hmacSha256(appSecret, signedString, 'hex');
    expect(doudian.verify(signed(body, { 'event-sign': hmac, 'sign-method': 'hmac-sha256' }), config)).toBe(
      true,
    );
    expect(doudian.verify(signed(body, { 'sign-method': 'hmac-sha256' }), config)).toBe(false);
    expect(doudian.verify(signed(body, { 'sign-method': 'sha1' }), config)).toBe(false);
  });
});

describe('doudian connector: dedupe key', () => {
  it('is the msg_id of a single message', () => {
    expect(doudian.dedupeKey(signed(loadSample('doudian', 'trade-create.json')))).toBe(
      '6928838474239348874::100:1618990587:6837374412345679128',
    );
  });

  it('is a hash of the sorted msg_ids for a batch, whatever their order', () => {
    const batch = loadSample('doudian', 'multi-message.json').toString('utf8');
    const [first, second] = JSON.parse(batch) as unknown[];
    const ids = [
      '6928838474239348874::100:1618990587:6837374412345679128',
      '6928838474239348874::101:1618990611:6837374412345679128',
    ];
    const key = doudian.dedupeKey(signed(batch));
    expect(key).toBe(`msgs:${sha256(ids.join('\n'))}`);
    // Re-serialising is fine here: only msg_ids (strings) matter for the key.
    expect(doudian.dedupeKey(signed(JSON.stringify([second, first])))).toBe(key);
  });
});

describe('doudian connector: order tags', () => {
  it('keeps p_id above 2^53 exact where JSON.parse would round it', () => {
    expect(String(Number(P_ID))).not.toBe(P_ID);
    expect(sample('trade-create.json')[0]).toMatchObject({ orderId: P_ID });
  });

  it('maps tag 100 to OrderPlaced at create_time', () => {
    expect(sample('trade-create.json')).toEqual([
      expect.objectContaining({
        type: 'OrderPlaced',
        provider: 'doudian',
        orderId: P_ID,
        occurredAt: '2021-04-21T07:36:27.000Z',
        order: { number: P_ID, currency: 'CNY', placedAt: '2021-04-21T07:36:27.000Z', providerStatus: '1' },
      }),
    ]);
  });

  it('maps tag 101 to OrderPaid with pay_amount in fen', () => {
    expect(sample('trade-paid.json')).toEqual([
      expect.objectContaining({
        type: 'OrderPaid',
        orderId: P_ID,
        paidAt: '2021-04-21T07:36:51.000Z',
        order: expect.objectContaining({ currency: 'CNY', totals: { total: 2990 }, providerStatus: '2' }),
      }),
    ]);
  });

  it('maps tag 101 of a cash-on-delivery order to an update, not a payment', () => {
    const cod = edited('trade-paid.json', '"pay_type\\":1', '"pay_type\\":0');
    expect(events(cod)).toEqual([expect.objectContaining({ type: 'OrderUpdated', orderId: P_ID })]);
  });

  it('maps tag 102 to ShipmentCreated with carrier and tracking number', () => {
    expect(sample('trade-seller-ship.json')).toEqual([
      expect.objectContaining({
        type: 'ShipmentCreated',
        orderId: P_ID,
        carrier: 'zhongtong',
        trackingNumber: '75432109876543',
        direction: 'outbound',
        shippedAt: '2021-04-21T10:33:54.000Z',
      }),
    ]);
  });

  it('maps tag 102 without logistics to a fulfilled order', () => {
    const noTracking = edited(
      'trade-seller-ship.json',
      '\\"logistics_code\\":\\"75432109876543\\"',
      '\\"x\\":1',
    );
    expect(events(noTracking)).toEqual([
      expect.objectContaining({
        type: 'OrderUpdated',
        order: expect.objectContaining({ fulfillment: 'fulfilled' }),
      }),
    ]);
  });

  it('maps tag 103 to a delivery the buyer confirmed', () => {
    expect(sample('trade-success.json')).toEqual([
      expect.objectContaining({
        type: 'OrderDelivered',
        orderId: P_ID,
        deliveredAt: '2021-04-28T08:53:20.000Z',
        confirmedBy: 'buyer',
      }),
    ]);
  });

  it('maps tag 106 to OrderCancelled with the reason', () => {
    expect(sample('trade-canceled.json')).toEqual([
      expect.objectContaining({
        type: 'OrderCancelled',
        orderId: '4705288465508539917',
        cancelledAt: '2021-04-21T08:06:27.000Z',
        reason: '超时未支付',
      }),
    ]);
  });
});

describe('doudian connector: after-sale tags', () => {
  const request = (file: string) => sample(file)[0];

  it('maps tag 200 to a requested case with aftersale_id, p_id and the amount in fen', () => {
    expect(sample('refund-created.json')).toEqual([
      expect.objectContaining({
        type: 'AfterSaleRequested',
        orderId: P_ID,
        requestId: AFTERSALE_ID,
        caseType: 'refund_only',
        status: 'requested',
        providerStatus: '6',
        amount: 2990,
        currency: 'CNY',
        occurredAt: '2021-04-22T14:00:00.000Z',
      }),
    ]);
    expect(request('return-created.json')).toMatchObject({ caseType: 'return_refund', status: 'requested' });
  });

  it('maps agreement: approved for refund only, awaiting_return for a return, return_received once goods arrive', () => {
    expect(request('refund-agreed.json')).toMatchObject({
      status: 'approved',
      occurredAt: '2021-04-22T15:00:00.000Z',
    });
    expect(request('return-apply-agreed.json')).toMatchObject({
      caseType: 'return_refund',
      status: 'awaiting_return',
    });
    expect(request('return-agreed.json')).toMatchObject({
      caseType: 'return_refund',
      status: 'return_received',
    });
  });

  it('maps refusals (tags 204 and 205) to rejected', () => {
    expect(request('refund-refused.json')).toMatchObject({ status: 'rejected' });
    expect(request('return-apply-refused.json')).toMatchObject({
      status: 'rejected',
      caseType: 'return_refund',
    });
  });

  it('maps tag 203 to return_in_transit with the return parcel', () => {
    expect(request('buyer-return-goods.json')).toMatchObject({
      status: 'return_in_transit',
      returnTrackingNumber: 'YT6543210987654',
      returnCarrier: 'yuantong',
      occurredAt: '2021-04-30T13:40:00.000Z',
    });
  });

  it('maps tag 206 to a refunded case and an OrderRefunded', () => {
    const [caseEvent, refund] = sample('refund-success.json');
    expect(caseEvent).toMatchObject({ type: 'AfterSaleRequested', status: 'refunded' });
    expect(refund).toEqual(
      expect.objectContaining({
        type: 'OrderRefunded',
        orderId: P_ID,
        refundId: AFTERSALE_ID,
        amount: 2990,
        currency: 'CNY',
        occurredAt: '2021-04-22T15:02:00.000Z',
      }),
    );
    expect(refund!.eventId).not.toBe(caseEvent!.eventId);
  });

  it('maps tag 208 (buyer modified the request) back to requested, timed by modify_time', () => {
    const text = loadSample('doudian', 'refund-created.json')
      .toString('utf8')
      .replace('"tag":"200"', '"tag":"208"')
      .replace('\\"apply_time\\":1619100000', '\\"modify_time\\":1619101000');
    expect(events(Buffer.from(text))).toEqual([
      expect.objectContaining({ status: 'requested', occurredAt: '2021-04-22T14:16:40.000Z' }),
    ]);
  });

  it('maps tag 207 to closed', () => {
    expect(request('refund-closed.json')).toMatchObject({
      status: 'closed',
      occurredAt: '2021-04-23T14:59:59.000Z',
    });
  });
});

describe('doudian connector: batches, tests and replies', () => {
  it('turns every message of a batch into its own events with distinct ids', () => {
    const [placed, paid] = sample('multi-message.json');
    expect(placed).toMatchObject({ type: 'OrderPlaced', orderId: P_ID });
    expect(paid).toMatchObject({ type: 'OrderPaid', orderId: P_ID });
    expect(placed!.eventId).not.toBe(paid!.eventId);
  });

  it('ignores the connectivity test message and tags it does not track', () => {
    const test = signed(loadSample('doudian', 'connectivity-test.json'));
    expect(doudian.parse(test, parseContext('0'))).toEqual({
      kind: 'ignored',
      reason: expect.stringContaining('test'),
    });
    const address = signed(loadSample('doudian', 'trade-address-changed.json'));
    expect(doudian.parse(address, parseContext('105'))).toEqual({
      kind: 'ignored',
      reason: expect.stringContaining('doudian_trade_TradeAddressChanged'),
    });
  });

  it('names the tags for the inbox listing', () => {
    expect(doudian.topic(signed(loadSample('doudian', 'multi-message.json')))).toBe(
      'doudian_trade_TradeCreate,doudian_trade_TradePaid',
    );
  });

  it('answers accepted, duplicate and ping with {"code":0,"msg":"success"}', () => {
    for (const outcome of [
      { kind: 'accepted', inboxId: 'i' },
      { kind: 'duplicate', inboxId: 'i' },
      { kind: 'ping' },
    ] as const) {
      const reply = doudian.reply!(outcome);
      expect(reply.statusCode).toBe(200);
      expect(JSON.parse(reply.body)).toEqual({ code: 0, msg: 'success' });
    }
  });

  it('answers a rejection with its HTTP status and a non-zero code', () => {
    const reply = doudian.reply!({
      kind: 'rejected',
      statusCode: 401,
      code: 'invalid_signature',
      message: 'bad sign',
    });
    expect(reply.statusCode).toBe(401);
    expect(JSON.parse(reply.body)).toEqual({ code: 401, msg: 'bad sign' });
  });

  it('produces the same event ids for the same request and valid events for every sample', () => {
    const dir = join(import.meta.dirname, '..', '..', '..', 'events', 'doudian');
    const skip = new Set(['connectivity-test.json', 'trade-address-changed.json']);
    const files = readdirSync(dir).filter((f) => f.endsWith('.json') && !skip.has(f));
    expect(files.length).toBeGreaterThanOrEqual(15);
    for (const file of files) {
      const first = sample(file);
      expect(first.length, file).toBeGreaterThan(0);
      expect(sample(file)).toEqual(first);
    }
  });

  it('refuses bodies it cannot read with a reason', () => {
    const ctx = parseContext('bad');
    expect(() => doudian.parse(signed('{"tag":"100"}'), ctx)).toThrow(UnparseablePayloadError);
    expect(() => doudian.parse(signed('[{"tag":"100","msg_id":"1","data":"{p_id"}]'), ctx)).toThrow(
      /data is not JSON/,
    );
    expect(() => doudian.parse(signed('[{"tag":"100","msg_id":"1","data":"{\\"p_id\\":1}"}]'), ctx)).toThrow(
      /no create_time/,
    );
    expect(() => doudian.dedupeKey(signed('not json'))).toThrow(UnparseablePayloadError);
  });
});
