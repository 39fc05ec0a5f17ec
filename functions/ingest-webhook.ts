import middy from '@middy/core';
import { ShopId } from '../schemas/common.ts';
import { connectorFor } from './adapters/connectors/index.ts';
import type {
  Connector,
  ConnectorConfig,
  IngestOutcome,
  IngestReply,
  RawRequest,
} from './adapters/connectors/types.ts';
import { putInboxItem } from './adapters/dynamo/inbox.ts';
import { loadShopCached } from './adapters/dynamo/shops.ts';
import { sendInbound } from './adapters/sqs.ts';
import { limits } from './contract.ts';
import { sha256, stableId } from './lib/crypto.ts';
import { UnparseablePayloadError } from './lib/errors.ts';
import {
  errorBody,
  type HttpEvent,
  type HttpResult,
  httpErrors,
  json,
  rawBody,
  rawBodyLength,
} from './lib/http.ts';
import { logger } from './lib/logger.ts';
import { count, publishMetrics } from './lib/metrics.ts';
import { onceEvery, sampledLog } from './lib/rate.ts';

/** A refused signature re-reads its shop at most this often. */
const rechecks = onceEvery(5_000);

/** Rejected signatures are counted each, but logged at most once a minute per shop and provider. */
const rejections = sampledLog(60_000);

/** Headers never stored with the raw request. */
const PRIVATE_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/*
 * POST /webhooks/{provider}/{shopId}
 * 1. refuse oversize bodies (413) before any hashing
 * 2. find the connector and the shop (404)
 * 3. answer the provider's endpoint test (ping) without storing anything
 * 4. verify the signature on the raw bytes (401, in the provider's reply format)
 * 5. store the raw request in the inbox under its dedupe key; a duplicate changes nothing
 * 6. enqueue a reference and answer 202 — everything after this is retried by SQS
 */
export async function ingestWebhook(event: HttpEvent): Promise<HttpResult> {
  const provider = event.pathParameters?.provider ?? '';
  const shopIdParam = ShopId.safeParse(event.pathParameters?.shopId);
  const connector = connectorFor(provider);
  const reply = (outcome: IngestOutcome) => toResult(connector, outcome);

  if (rawBodyLength(event) > limits.maxWebhookBytes) {
    return reply(rejected(413, 'payload_too_large', `the body exceeds ${limits.maxWebhookBytes} bytes`));
  }
  if (!connector) return reply(rejected(404, 'not_found', `no connector for provider "${provider}"`));
  // Not a shop id at all: no read, the same answer as an unknown shop.
  if (!shopIdParam.success) return reply(rejected(404, 'not_found', 'no such shop'));
  const shopId = shopIdParam.data;
  const shop = await loadShopCached(shopId);
  if (!shop) return reply(rejected(404, 'not_found', `no shop "${shopId}"`));

  const receivedAt = new Date().toISOString();
  const req: RawRequest = {
    body: rawBody(event),
    headers: lowerCaseHeaders(event.headers),
    query: (event.queryStringParameters ?? {}) as Record<string, string>,
    receivedAt,
  };
  if (connector.isPing?.(req)) return reply({ kind: 'ping' });

  // A refusal is checked again against the stored connector, so a connector added or a secret
  // rotated a moment ago works at once; but at most once per shop every few seconds, so a flood of
  // forged requests costs one read, not one each.
  let verdict = verdictFor(connector, req, shop.connectors.get(provider));
  if (verdict !== 'ok' && rechecks.allows(shopId)) {
    const fresh = await loadShopCached(shopId, { maxAgeMs: 0 });
    verdict = verdictFor(connector, req, fresh?.connectors.get(provider));
  }
  if (verdict !== 'ok') {
    count('RejectedSignatures');
    rejections.note(`${shopId}/${provider}`, (suppressed) =>
      logger.warn('webhook signature rejected', { provider, shopId, verdict, alsoRejectedSince: suppressed }),
    );
  }
  if (verdict === 'no_connector') {
    return reply(rejected(401, 'invalid_signature', `no ${provider} connector is configured for this shop`));
  }
  if (verdict === 'bad_signature') {
    return reply(rejected(401, 'invalid_signature', 'the signature does not match the body'));
  }

  const dedupeKey = dedupeKeyOf(connector, req);
  const inboxId = stableId(provider, dedupeKey).slice(0, 26);
  const stored = await putInboxItem({
    shopId,
    inboxId,
    provider,
    dedupeKey,
    receivedAt,
    body: req.body,
    headers: Object.fromEntries(Object.entries(req.headers).filter(([name]) => !PRIVATE_HEADERS.has(name))),
    query: req.query,
    ...topicOf(connector, req),
  });
  if (!stored.created) {
    // Stored before but perhaps never enqueued (a crash between the two): enqueue again, the
    // worker is idempotent. A finished item is left alone.
    if (stored.existing.status === 'received') await sendInbound([{ kind: 'inbox', shopId, inboxId }]);
    return reply({ kind: 'duplicate', inboxId });
  }
  await sendInbound([{ kind: 'inbox', shopId, inboxId }]);
  return reply({ kind: 'accepted', inboxId });
}

function verdictFor(
  connector: Connector,
  req: RawRequest,
  config: ConnectorConfig | undefined,
): 'ok' | 'no_connector' | 'bad_signature' {
  if (!config) return 'no_connector';
  return connector.verify(req, config) ? 'ok' : 'bad_signature';
}

/** The provider's own key, or a hash of the body when the body is too broken to yield one. */
function dedupeKeyOf(connector: Connector, req: RawRequest): string {
  try {
    return connector.dedupeKey(req);
  } catch (err) {
    if (!(err instanceof UnparseablePayloadError)) throw err;
    return `body:${sha256(req.body)}`;
  }
}

function topicOf(connector: Connector, req: RawRequest): { topic?: string } {
  try {
    const topic = connector.topic(req);
    return topic ? { topic: topic.slice(0, 200) } : {};
  } catch {
    return {};
  }
}

function rejected(statusCode: number, code: string, message: string): IngestOutcome {
  return { kind: 'rejected', statusCode, code, message };
}

export function defaultReply(outcome: IngestOutcome): IngestReply {
  switch (outcome.kind) {
    case 'accepted':
      return { statusCode: 202, body: JSON.stringify({ accepted: true, inboxId: outcome.inboxId }) };
    case 'duplicate':
      return { statusCode: 200, body: JSON.stringify({ duplicate: true, inboxId: outcome.inboxId }) };
    case 'ping':
      return { statusCode: 200, body: JSON.stringify({ ok: true }) };
    case 'rejected':
      return {
        statusCode: outcome.statusCode,
        body: JSON.stringify(errorBody(outcome.code, outcome.message)),
      };
  }
}

function toResult(connector: Connector | undefined, outcome: IngestOutcome): HttpResult {
  const r = connector?.reply?.(outcome) ?? defaultReply(outcome);
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

export const handler = middy<HttpEvent, HttpResult>()
  .use(publishMetrics())
  .use(httpErrors())
  .handler(ingestWebhook);
