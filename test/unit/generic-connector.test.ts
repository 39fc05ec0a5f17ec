import { describe, expect, it } from 'vitest';
import { generic } from '../../functions/adapters/connectors/generic.ts';
import { hmacSha256 } from '../../functions/lib/crypto.ts';
import { UnparseablePayloadError } from '../../functions/lib/errors.ts';
import { loadSample, parseContext, rawRequest } from '../support/requests.ts';

const secret = 'generic-test-secret';
const sign = (body: Buffer) => `sha256=${hmacSha256(secret, body, 'hex')}`;

describe('generic connector', () => {
  it('verifies the HMAC over the raw bytes with either of two secrets', () => {
    const body = loadSample('generic', 'order-placed.json');
    const req = rawRequest(body, { 'X-Aftersale-Signature': sign(body), 'x-aftersale-event-id': 'e1' });
    expect(generic.verify(req, { secrets: [secret], settings: {} })).toBe(true);
    expect(generic.verify(req, { secrets: ['new-secret', secret], settings: {} })).toBe(true);
    expect(generic.verify(req, { secrets: ['other'], settings: {} })).toBe(false);
  });

  it('rejects a body changed by one byte and a missing header', () => {
    const body = loadSample('generic', 'order-placed.json');
    const tampered = Buffer.concat([body, Buffer.from('\n')]);
    const config = { secrets: [secret], settings: {} };
    expect(generic.verify(rawRequest(tampered, { 'x-aftersale-signature': sign(body) }), config)).toBe(false);
    expect(generic.verify(rawRequest(body, {}), config)).toBe(false);
  });

  it('parses a sample into one canonical event with a deterministic id and string ids', () => {
    const body = loadSample('generic', 'order-placed.json');
    const req = rawRequest(body, { 'x-aftersale-event-id': 'evt-1' });
    const first = generic.parse(req, parseContext('evt-1'));
    const again = generic.parse(req, parseContext('evt-1'));
    expect(first).toEqual(again);
    expect(first.kind).toBe('events');
    if (first.kind !== 'events') return;
    expect(first.events).toHaveLength(1);
    expect(first.events[0]).toMatchObject({
      type: 'OrderPlaced',
      orderId: '820982911946154508',
      provider: 'generic',
    });
  });

  it('refuses unparseable bodies with a reason instead of guessing', () => {
    const ctx = parseContext('x');
    expect(() => generic.parse(rawRequest('{not json'), ctx)).toThrow(UnparseablePayloadError);
    expect(() => generic.parse(rawRequest('{"type":"OrderPlaced"}'), ctx)).toThrow(
      /not a valid generic event .*orderId/,
    );
  });

  const placed = () => JSON.parse(loadSample('generic', 'order-placed.json').toString('utf8'));

  it.each([
    ['orderProvider', { orderProvider: 'shopify' }],
    ['eventId', { eventId: 'mine' }],
    ['provider', { provider: 'shopify' }],
    ['an unknown field', { cancelEverything: true }],
  ])('refuses a body that sets %s, naming it, instead of passing it on', (_what, extra) => {
    const body = JSON.stringify({ ...placed(), ...extra });
    const field = Object.keys(extra)[0]!;
    expect(() => generic.parse(rawRequest(body), parseContext('x'))).toThrow(new RegExp(field));
  });

  it('speaks only for the generic marketplace: events carry provider generic and no orderProvider', () => {
    const parsed = generic.parse(rawRequest(JSON.stringify(placed())), parseContext('x'));
    if (parsed.kind !== 'events') throw new Error('expected events');
    expect(parsed.events[0]!.provider).toBe('generic');
    expect(parsed.events[0]).not.toHaveProperty('orderProvider');
  });

  it('takes the shop system’s RefundRecorded for a case, as the generic marketplace', () => {
    const body = JSON.stringify({
      type: 'RefundRecorded',
      caseId: 'c0ffee',
      occurredAt: '2026-11-26T08:00:00+08:00',
      amount: 12800,
      currency: 'cny',
      reference: 'erp-refund-7',
    });
    const parsed = generic.parse(rawRequest(body), parseContext('refund'));
    if (parsed.kind !== 'events') throw new Error('expected events');
    expect(parsed.events[0]).toMatchObject({
      type: 'RefundRecorded',
      caseId: 'c0ffee',
      currency: 'CNY',
      provider: 'generic',
    });
  });

  it.each(['TimerFired', 'CaseRequested', 'CaseChanged'])('refuses the internal event type %s', (type) => {
    const body = JSON.stringify({ type, occurredAt: '2026-11-20T08:00:00Z' });
    expect(() => generic.parse(rawRequest(body), parseContext('x'))).toThrow(UnparseablePayloadError);
  });

  it('reads a body in the charset its content type names (GBK, Latin-1), signed on the bytes', () => {
    // JSON whose only non-ASCII bytes are the ones under test: everything else \u-escaped.
    const ascii = (value: unknown) =>
      JSON.stringify(value).replace(
        /[^ -~\s]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
    const [before, after] = ascii({ ...placed(), order: { ...placed().order, note: '@@' } }).split('@@');
    // '退货' in GBK is CD CB BB F5.
    const gbk = Buffer.concat([
      Buffer.from(before!),
      Buffer.from([0xcd, 0xcb, 0xbb, 0xf5]),
      Buffer.from(after!),
    ]);
    const gbkReq = rawRequest(gbk, {
      'content-type': 'application/json; charset=GBK',
      'x-aftersale-signature': sign(gbk),
    });
    expect(generic.verify(gbkReq, { secrets: [secret], settings: {} })).toBe(true);
    const parsed = generic.parse(gbkReq, parseContext('gbk'));
    if (parsed.kind !== 'events') throw new Error('expected events');
    expect(parsed.events[0]).toMatchObject({ order: { note: '退货' } });

    const latin1 = Buffer.concat([Buffer.from(before!), Buffer.from('café', 'latin1'), Buffer.from(after!)]);
    const latinReq = rawRequest(latin1, { 'content-type': 'application/json; charset=ISO-8859-1' });
    const fromLatin1 = generic.parse(latinReq, parseContext('latin1'));
    if (fromLatin1.kind !== 'events') throw new Error('expected events');
    expect(fromLatin1.events[0]).toMatchObject({ order: { note: 'café' } });
    // Without a charset the bytes must be UTF-8: Latin-1 bytes are refused, not garbled.
    expect(() => generic.parse(rawRequest(latin1), parseContext('latin1'))).toThrow(/not valid utf-8/);
  });

  it('dedupes on the sender event id header', () => {
    expect(generic.dedupeKey(rawRequest('{}', { 'x-aftersale-event-id': ' abc ' }))).toBe('abc');
    expect(() => generic.dedupeKey(rawRequest('{}'))).toThrow(UnparseablePayloadError);
  });
});
