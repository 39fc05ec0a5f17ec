import { sha256, stableId } from '../lib/crypto.ts';
import { UnparseablePayloadError } from '../lib/errors.ts';
import { errorBody } from '../lib/http.ts';
import { logger } from '../lib/logger.ts';
import { count } from '../lib/metrics.ts';
import { onceEvery, sampledLog } from '../lib/rate.ts';
import type { Connector, ConnectorConfig, IngestOutcome, IngestReply, RawRequest } from './connectors.ts';
import type { AppDeps } from './ports.ts';

export type ReceiveDeps = Pick<AppDeps, 'connectors' | 'shops' | 'inbox' | 'queues' | 'clock'>;

/** Headers never stored with the raw request. */
const PRIVATE_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

export interface WebhookInput {
  provider: string;
  /** The path's shop id, already checked to be one (else the caller answers 404 itself). */
  shopId: string;
  request: RawRequest;
}

/**
 * The webhook receiver of one function instance. Its two gates thin out floods of forged requests
 * (a refused signature re-reads its shop at most every 5 s, and is logged at most once a minute
 * per shop and provider); a new instance starts afresh, which is harmless.
 */
export function webhookReceiver(deps: ReceiveDeps) {
  const rechecks = onceEvery(5_000);
  const rejections = sampledLog(60_000);

  /*
   * Receive a webhook.
   * 1. find the connector and the shop (404)
   * 2. answer the provider's endpoint test (ping) without storing anything
   * 3. verify the signature on the raw bytes (401); before refusing, check once more against the
   *    stored connector, so a connector added or a secret rotated a moment ago works at once
   * 4. store the raw request in the inbox under its dedupe key; a duplicate changes nothing
   * 5. enqueue a reference: everything after this is retried by SQS
   */
  return async function receiveWebhook(input: WebhookInput): Promise<IngestOutcome> {
    const { provider, shopId, request: req } = input;
    const connector = deps.connectors(provider);
    if (!connector) return rejected(404, 'not_found', `no connector for provider "${provider}"`);
    const shop = await deps.shops.loadCached(shopId);
    if (!shop) return rejected(404, 'not_found', `no shop "${shopId}"`);
    if (connector.isPing?.(req)) return { kind: 'ping' };

    let verdict = verdictFor(connector, req, shop.connectors.get(provider));
    if (verdict !== 'ok' && rechecks.allows(shopId)) {
      const fresh = await deps.shops.loadCached(shopId, { maxAgeMs: 0 });
      verdict = verdictFor(connector, req, fresh?.connectors.get(provider));
    }
    if (verdict !== 'ok') {
      count('RejectedSignatures');
      rejections.note(`${shopId}/${provider}`, (suppressed) =>
        logger.warn('webhook signature rejected', {
          provider,
          shopId,
          verdict,
          alsoRejectedSince: suppressed,
        }),
      );
      return verdict === 'no_connector'
        ? rejected(401, 'invalid_signature', `no ${provider} connector is configured for this shop`)
        : rejected(401, 'invalid_signature', 'the signature does not match the body');
    }

    const dedupeKey = dedupeKeyOf(connector, req);
    const inboxId = stableId(provider, dedupeKey).slice(0, 26);
    const stored = await deps.inbox.put({
      shopId,
      inboxId,
      provider,
      dedupeKey,
      receivedAt: req.receivedAt,
      body: req.body,
      headers: Object.fromEntries(Object.entries(req.headers).filter(([name]) => !PRIVATE_HEADERS.has(name))),
      query: req.query,
      ...topicOf(connector, req),
    });
    if (!stored.created) {
      // Stored before but perhaps never enqueued (a crash between the two): enqueue again, the
      // worker is idempotent. A finished item is left alone.
      if (stored.existing.status === 'received')
        await deps.queues.sendInbound([{ kind: 'inbox', shopId, inboxId }]);
      return { kind: 'duplicate', inboxId };
    }
    await deps.queues.sendInbound([{ kind: 'inbox', shopId, inboxId }]);
    return { kind: 'accepted', inboxId };
  };
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

export function rejected(statusCode: number, code: string, message: string): IngestOutcome {
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

/** The default JSON answers; a connector may answer in its provider's own format instead. */
export function replyFor(connector: Connector | undefined, outcome: IngestOutcome): IngestReply {
  return connector?.reply?.(outcome) ?? defaultReply(outcome);
}
