import { hmacSha256, md5, sha256 } from '../../functions/lib/crypto.ts';

/**
 * How each provider signs a webhook, for the demo, the e2e tests and anyone wiring a test sender.
 * Each takes the exact body bytes and returns the headers (and, for Kuaidi100, the form body) the
 * provider would send.
 */
export interface SignedRequest {
  body: Buffer;
  headers: Record<string, string>;
}

export interface SignOptions {
  secret: string;
  /** Provider event id / topic where the provider sends one in a header. */
  eventId?: string;
  topic?: string;
  /** Douyin app key. */
  appKey?: string;
}

const json = { 'content-type': 'application/json' };

export const signers: Record<string, (body: Buffer, o: SignOptions) => SignedRequest> = {
  generic: (body, o) => ({
    body,
    headers: {
      ...json,
      'x-aftersale-signature': `sha256=${hmacSha256(o.secret, body, 'hex')}`,
      'x-aftersale-event-id': o.eventId ?? sha256(body),
    },
  }),
  taobao: (body, o) => signers.generic!(body, o),
  shopify: (body, o) => ({
    body,
    headers: {
      ...json,
      'x-shopify-hmac-sha256': hmacSha256(o.secret, body, 'base64'),
      ...(o.topic && { 'x-shopify-topic': o.topic }),
      ...(o.eventId && { 'x-shopify-event-id': o.eventId }),
      'x-shopify-triggered-at': '2026-11-20T08:00:00.000Z',
    },
  }),
  woocommerce: (body, o) => ({
    body,
    headers: {
      ...json,
      'x-wc-webhook-signature': hmacSha256(o.secret, body, 'base64'),
      ...(o.topic && { 'x-wc-webhook-topic': o.topic }),
      'x-wc-webhook-delivery-id': o.eventId ?? '1',
    },
  }),
  doudian: (body, o) => ({
    body,
    headers: {
      ...json,
      'app-id': o.appKey ?? 'demo-app',
      'event-sign': md5(Buffer.concat([Buffer.from(o.appKey ?? 'demo-app'), body, Buffer.from(o.secret)])),
    },
  }),
  aftership: (body, o) => ({
    body,
    headers: { ...json, 'aftership-hmac-sha256': hmacSha256(o.secret, body, 'base64') },
  }),
  '17track': (body, o) => ({
    body,
    headers: { ...json, sign: sha256(Buffer.concat([body, Buffer.from(`/${o.secret}`)])) },
  }),
  /** Kuaidi100 posts a form: `param` is the JSON text, `sign` = MD5(param + salt) in upper case. */
  kuaidi100: (param, o) => {
    const text = param.toString('utf8');
    const sign = md5(text + o.secret).toUpperCase();
    return {
      body: Buffer.from(new URLSearchParams({ param: text, sign }).toString()),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    };
  },
  easypost: (body, o) => ({
    body,
    headers: {
      ...json,
      'x-hmac-signature': `hmac-sha256-hex=${hmacSha256(Buffer.from(o.secret.normalize('NFKD'), 'utf8'), body, 'hex')}`,
    },
  }),
};
