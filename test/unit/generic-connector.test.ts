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
    expect(() => generic.parse(rawRequest('{"type":"OrderPlaced"}'), ctx)).toThrow(/not a valid OrderPlaced/);
  });

  it('dedupes on the sender event id header', () => {
    expect(generic.dedupeKey(rawRequest('{}', { 'x-aftersale-event-id': ' abc ' }))).toBe('abc');
    expect(() => generic.dedupeKey(rawRequest('{}'))).toThrow(UnparseablePayloadError);
  });
});
