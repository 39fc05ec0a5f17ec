import { describe, expect, it, vi } from 'vitest';
import { aftership } from '../../../functions/adapters/connectors/aftership.ts';
import { doudian } from '../../../functions/adapters/connectors/doudian.ts';
import { easypost } from '../../../functions/adapters/connectors/easypost.ts';
import { generic } from '../../../functions/adapters/connectors/generic.ts';
import { kuaidi100 } from '../../../functions/adapters/connectors/kuaidi100.ts';
import { seventeentrack } from '../../../functions/adapters/connectors/seventeentrack.ts';
import { shopify } from '../../../functions/adapters/connectors/shopify.ts';
import { signedByAnySecret, verifyHmacBase64 } from '../../../functions/adapters/connectors/signatures.ts';
import { woocommerce } from '../../../functions/adapters/connectors/woocommerce.ts';
import type { Connector, RawRequest } from '../../../functions/app/connectors.ts';
import { hmacSha256, md5, sha256 } from '../../../functions/lib/crypto.ts';
import { loadSample, rawRequest } from '../../support/requests.ts';

const body = Buffer.from('{"id":820982911946154508,"note":"a\\/b"}');
const base64 = (secret: string) => hmacSha256(secret, body, 'base64');

describe('signedByAnySecret', () => {
  const sign = (secret: string) => `sig:${secret}`;

  it('accepts the current and the previous secret of a rotation, and no other', () => {
    expect(signedByAnySecret(['new', 'old'], 'sig:new', sign)).toBe(true);
    expect(signedByAnySecret(['new', 'old'], 'sig:old', sign)).toBe(true);
    expect(signedByAnySecret(['new', 'old'], 'sig:older', sign)).toBe(false);
    expect(signedByAnySecret([], 'sig:new', sign)).toBe(false);
  });

  it('signs and compares with every secret, even after the first one matched', () => {
    const spy = vi.fn(sign);
    expect(signedByAnySecret(['new', 'old'], 'sig:new', spy)).toBe(true);
    expect(spy.mock.calls.map(([secret]) => secret)).toEqual(['new', 'old']);
  });

  it('refuses a missing or blank signature without signing anything', () => {
    const spy = vi.fn(sign);
    expect(signedByAnySecret(['new'], undefined, spy)).toBe(false);
    expect(signedByAnySecret(['new'], '  ', spy)).toBe(false);
    expect(spy).not.toHaveBeenCalled();
  });

  it('ignores whitespace around the received signature', () => {
    expect(signedByAnySecret(['new'], ' sig:new\t', sign)).toBe(true);
  });

  it('never lets an empty secret verify, unless the provider signs with one', () => {
    expect(signedByAnySecret([''], 'sig:', sign)).toBe(false);
    expect(signedByAnySecret(['', 'old'], 'sig:old', sign)).toBe(true);
    expect(signedByAnySecret([''], 'sig:', sign, { allowEmptySecret: true })).toBe(true);
  });
});

describe('verifyHmacBase64', () => {
  it('is base64 HMAC-SHA256 of the raw bytes', () => {
    expect(verifyHmacBase64(body, base64('s1'), ['s1'])).toBe(true);
    expect(verifyHmacBase64(body, hmacSha256('s1', body, 'hex'), ['s1'])).toBe(false);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
    expect(verifyHmacBase64(reserialised, base64('s1'), ['s1'])).toBe(false);
  });
});

const param = loadSample('kuaidi100', 'param-polling-in-transit.json').toString('utf8');
const form = { 'content-type': 'application/x-www-form-urlencoded' };

/** Each connector with a request signed the way its provider signs, with `secret`. */
const signed: Array<[string, Connector, (secret: string) => RawRequest]> = [
  ['shopify', shopify, (s) => rawRequest(body, { 'x-shopify-hmac-sha256': base64(s) })],
  ['woocommerce', woocommerce, (s) => rawRequest(body, { 'x-wc-webhook-signature': base64(s) })],
  ['aftership', aftership, (s) => rawRequest(body, { 'aftership-hmac-sha256': base64(s) })],
  [
    'generic',
    generic,
    (s) => rawRequest(body, { 'x-aftersale-signature': `sha256=${hmacSha256(s, body, 'hex')}` }),
  ],
  [
    'easypost',
    easypost,
    (s) => rawRequest(body, { 'x-hmac-signature': `hmac-sha256-hex=${hmacSha256(s, body, 'hex')}` }),
  ],
  [
    '17track',
    seventeentrack,
    (s) => rawRequest(body, { sign: sha256(Buffer.concat([body, Buffer.from(`/${s}`)])) }),
  ],
  [
    'doudian',
    doudian,
    (s) =>
      rawRequest(body, {
        'app-id': 'app',
        'event-sign': md5(Buffer.concat([Buffer.from('app'), body, Buffer.from(s)])),
      }),
  ],
  [
    'kuaidi100',
    kuaidi100,
    (s) => rawRequest(new URLSearchParams({ param, sign: md5(param + s).toUpperCase() }).toString(), form),
  ],
];

describe('every connector: the shared multi-secret check', () => {
  const rotating = { secrets: ['current', 'previous'], settings: {} };

  it.each(signed)(
    '%s accepts the current and the previous secret, and not a third',
    (_p, connector, request) => {
      expect(connector.verify(request('current'), rotating)).toBe(true);
      expect(connector.verify(request('previous'), rotating)).toBe(true);
      expect(connector.verify(request('third'), rotating)).toBe(false);
    },
  );
});
