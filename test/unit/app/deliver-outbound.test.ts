import { describe, expect, it } from 'vitest';
import { verifyAftersaleSignature } from '../../../functions/adapters/connectors/generic.ts';
import {
  classify,
  outboundBody,
  outboundRequest,
  retryDelaySeconds,
} from '../../../functions/app/deliver-outbound.ts';
import type { OutboundMessage } from '../../../schemas/messages.ts';
import { OutboundEndpointInput, OutboundUrl } from '../../../schemas/shop.ts';

const message: OutboundMessage = {
  shopId: 'demo-shop',
  id: 'f3a1c0de5b7e4a1f9d2c8b6a4e0f1a2b',
  type: 'refund.requested',
  caseId: 'case-1',
  data: { amount: 12800, currency: 'CNY', note: '退款 ✓' },
  plannedAt: '2026-11-25T08:00:00.000Z',
};
const endpoint = { url: 'https://erp.example.com/aftersale', secret: 'a-secret-of-sixteen+' };

describe('outboundRequest', () => {
  it('sends the message as { id, type, shopId, caseId, occurredAt, data }, occurredAt being plannedAt', () => {
    expect(JSON.parse(outboundBody(message).toString('utf8'))).toEqual({
      id: message.id,
      type: 'refund.requested',
      shopId: 'demo-shop',
      caseId: 'case-1',
      occurredAt: '2026-11-25T08:00:00.000Z',
      data: message.data,
    });
  });

  it('leaves caseId out when the message has none', () => {
    const { caseId: _caseId, ...withoutCase } = message;
    expect(JSON.parse(outboundBody(withoutCase).toString('utf8'))).not.toHaveProperty('caseId');
  });

  it('signs the body bytes with the scheme our generic connector verifies', () => {
    const request = outboundRequest(message, endpoint, '2026-11-25T08:00:01.000Z');
    const asReceived = { body: request.body, headers: request.headers, query: {}, receivedAt: '' };
    expect(request.headers['x-aftersale-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyAftersaleSignature(asReceived, { secrets: [endpoint.secret], settings: {} })).toBe(true);
    expect(verifyAftersaleSignature(asReceived, { secrets: ['another-secret-16+'], settings: {} })).toBe(
      false,
    );
  });

  it('names the event in its headers and carries the attempt time', () => {
    expect(outboundRequest(message, endpoint, '2026-11-25T08:00:01.000Z').headers).toMatchObject({
      'content-type': 'application/json',
      'x-aftersale-event-id': message.id,
      'x-aftersale-event-type': 'refund.requested',
      'x-aftersale-timestamp': '2026-11-25T08:00:01.000Z',
    });
  });

  it('sends the same bytes and signature on every attempt, whatever the time', () => {
    const first = outboundRequest(message, endpoint, '2026-11-25T08:00:01.000Z');
    const retry = outboundRequest(message, endpoint, '2026-11-25T09:00:00.000Z');
    expect(retry.body.equals(first.body)).toBe(true);
    expect(retry.headers['x-aftersale-signature']).toBe(first.headers['x-aftersale-signature']);
  });
});

describe('classify', () => {
  const answered = (status: number, excerpt = '') => classify({ kind: 'answered', status, excerpt });

  it.each([200, 201, 202, 204, 299])('counts %i as delivered', (status) => {
    expect(answered(status)).toEqual({ status: 'delivered', statusCode: status });
  });

  it.each([408, 429, 500, 502, 503, 504])('retries %i', (status) => {
    expect(answered(status)).toMatchObject({ status: 'retry', statusCode: status });
  });

  it.each([301, 302, 307, 400, 401, 403, 404, 409, 410, 422])(
    'takes %i as a refusal, not retried',
    (status) => {
      expect(answered(status)).toMatchObject({ status: 'refused', statusCode: status });
    },
  );

  it('retries a timeout and a network error, with no status', () => {
    expect(classify({ kind: 'timeout', error: 'no answer within 10000 ms' })).toEqual({
      status: 'retry',
      error: 'no answer within 10000 ms',
    });
    expect(classify({ kind: 'network_error', error: 'fetch failed: ECONNREFUSED' })).toMatchObject({
      status: 'retry',
    });
  });

  it('keeps the status and the start of the answer, on one line, as the error', () => {
    expect(answered(400, '{"error":\n  "unknown sku"}')).toEqual({
      status: 'refused',
      statusCode: 400,
      error: 'answered 400: {"error": "unknown sku"}',
    });
  });
});

describe('retryDelaySeconds', () => {
  it('backs off 1 min, 5 min, 25 min, about 2 h after the 1st to 4th failed delivery', () => {
    expect([1, 2, 3, 4].map((n) => retryDelaySeconds(n, () => 0))).toEqual([60, 300, 1500, 7500]);
  });

  it('adds at most 10% at random', () => {
    expect(retryDelaySeconds(2, () => 0.999)).toBe(330);
  });

  it('never asks SQS for more than 12 hours', () => {
    expect(retryDelaySeconds(10, () => 1)).toBe(43_200);
  });
});

describe('OutboundUrl', () => {
  it.each([
    'https://erp.example.com/hooks/aftersale',
    'https://erp.example.com:8443/hooks?shop=1',
    'http://127.0.0.1:4000/hooks',
    'http://localhost:4000/hooks',
    'http://[::1]:4000/',
  ])('accepts %s', (url) => {
    expect(OutboundUrl.safeParse(url).success).toBe(true);
  });

  it.each([
    'http://erp.example.com/hooks',
    'http://10.0.0.5/hooks',
    'ftp://erp.example.com/',
    'erp.example.com/hooks',
    'https://user:pass@erp.example.com/hooks',
    'https://erp.example.com/hooks#x',
    `https://erp.example.com/${'a'.repeat(1000)}`,
  ])('refuses %s', (url) => {
    expect(OutboundUrl.safeParse(url).success).toBe(false);
  });
});

describe('OutboundEndpointInput', () => {
  it('needs a URL or a secret, and a secret of 16 characters at least', () => {
    expect(OutboundEndpointInput.safeParse({}).success).toBe(false);
    expect(OutboundEndpointInput.safeParse({ secret: 'short' }).success).toBe(false);
    expect(OutboundEndpointInput.safeParse({ secret: 'sixteen-chars-ok' }).success).toBe(true);
    expect(OutboundEndpointInput.safeParse({ url: 'https://erp.example.com/' }).success).toBe(true);
  });
});
