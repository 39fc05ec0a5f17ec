import middy from '@middy/core';
import { ShopId } from '../../schemas/common.ts';
import type { IngestOutcome } from '../app/connectors.ts';
import { type ReceiveDeps, rejected, replyFor, webhookReceiver } from '../app/receive-webhook.ts';
import { limits } from '../contract.ts';
import { type HttpEvent, type HttpResult, httpErrors, json, rawBody, rawBodyLength } from '../lib/http.ts';
import { publishMetrics } from '../lib/metrics.ts';

/*
 * POST /webhooks/{provider}/{shopId}
 * 1. refuse oversize bodies (413) before any decoding or hashing
 * 2. a path that names no shop id at all is a 404 without a read
 * 3. receive it (verify, store, enqueue) and answer in the provider's format
 */
export function ingestWebhookHandler(deps: ReceiveDeps) {
  const receive = webhookReceiver(deps);
  return middy<HttpEvent, HttpResult>()
    .use(publishMetrics())
    .use(httpErrors())
    .handler(async (event) => {
      const provider = event.pathParameters?.provider ?? '';
      const connector = deps.connectors(provider);
      const reply = (outcome: IngestOutcome) => toResult(replyFor(connector, outcome));
      if (rawBodyLength(event) > limits.maxWebhookBytes) {
        return reply(rejected(413, 'payload_too_large', `the body exceeds ${limits.maxWebhookBytes} bytes`));
      }
      const shopId = ShopId.safeParse(event.pathParameters?.shopId);
      if (!connector) return reply(rejected(404, 'not_found', `no connector for provider "${provider}"`));
      if (!shopId.success) return reply(rejected(404, 'not_found', 'no such shop'));
      const outcome = await receive({
        provider,
        shopId: shopId.data,
        request: {
          body: rawBody(event),
          headers: lowerCaseHeaders(event.headers),
          query: (event.queryStringParameters ?? {}) as Record<string, string>,
          receivedAt: deps.clock.now(),
        },
      });
      return reply(outcome);
    });
}

function toResult(r: { statusCode: number; headers?: Record<string, string>; body: string }): HttpResult {
  return {
    ...json(r.statusCode, null),
    body: r.body,
    headers: { 'content-type': 'application/json; charset=utf-8', ...r.headers },
  };
}

function lowerCaseHeaders(headers: HttpEvent['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {}))
    if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
}
