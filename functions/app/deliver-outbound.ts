import type { OutboundMessage } from '../../schemas/messages.ts';
import { OutboundUrl } from '../../schemas/shop.ts';
import { MAX_RECEIVE_COUNT } from '../contract.ts';
import { hmacSha256 } from '../lib/crypto.ts';
import { logger } from '../lib/logger.ts';
import { type OutboundEndpoint, outboundEndpointOf } from './outbound-connector.ts';
import type { AppDeps, OutboundRequest, OutboundResponse } from './ports.ts';
import type { Delivery } from './process-inbound.ts';

export type DeliverDeps = Pick<AppDeps, 'shops' | 'outbound' | 'outboundLog' | 'clock'>;

/** What became of one delivery of an outbound message. */
export type DeliveryOutcome =
  | { kind: 'delivered' | 'already_delivered' | 'refused' | 'not_configured' }
  /** Not delivered, worth another try; `last` when this was the last delivery before the DLQ. */
  | { kind: 'retry'; reason: string; last: boolean };

/** Thrown for SQS to deliver the message again: the endpoint could not take it this time. */
export class OutboundNotDeliveredError extends Error {
  override name = 'OutboundNotDeliveredError';
}

/**
 * The exact bytes the shop receives (docs/outbound.md): serialised once, signed and sent as they
 * are, so the shop verifies the signature on what it got.
 */
export function outboundBody(message: OutboundMessage): Buffer {
  return Buffer.from(
    JSON.stringify({
      id: message.id,
      type: message.type,
      shopId: message.shopId,
      ...(message.caseId && { caseId: message.caseId }),
      occurredAt: message.plannedAt,
      data: message.data,
    }),
    'utf8',
  );
}

/**
 * The signed POST. The signature is our generic webhooks' scheme (adapters/connectors/generic.ts
 * verifies it), so a shop checks what we send the way it signs what it sends us: `sha256=` and the
 * lowercase hex HMAC-SHA256 of the body bytes, with the current secret.
 */
export function outboundRequest(
  message: OutboundMessage,
  endpoint: OutboundEndpoint,
  now: string,
): OutboundRequest {
  const body = outboundBody(message);
  return {
    url: endpoint.url,
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'aftersale-outbound/1',
      'x-aftersale-event-id': message.id,
      'x-aftersale-event-type': message.type,
      'x-aftersale-signature': `sha256=${hmacSha256(endpoint.secret, body, 'hex')}`,
      // When this attempt was sent (not signed; the signed body carries occurredAt).
      'x-aftersale-timestamp': now,
    },
  };
}

export type Verdict =
  | { status: 'delivered'; statusCode: number }
  | { status: 'retry' | 'refused'; statusCode?: number; error: string };

/**
 * 2xx is delivered. 408, 429 and 5xx, a timeout or a network error are worth another try; any
 * other answer (3xx, 4xx) is the shop refusing this event, which no retry changes.
 */
export function classify(response: OutboundResponse): Verdict {
  if (response.kind !== 'answered') return { status: 'retry', error: response.error };
  const { status, excerpt } = response;
  if (status >= 200 && status < 300) return { status: 'delivered', statusCode: status };
  const error = `answered ${status}${excerpt ? `: ${excerpt.replace(/\s+/g, ' ').trim()}` : ''}`.slice(
    0,
    600,
  );
  const retry = status === 408 || status === 429 || status >= 500;
  return { status: retry ? 'retry' : 'refused', statusCode: status, error };
}

/**
 * Seconds before the next delivery after the `receiveCount`-th failed: 1 min, 5 min, 25 min,
 * about 2 h (x5 each time, up to 10% later at random so a recovering endpoint is not hit by every
 * message at once), at most SQS's 12 h. With 5 deliveries that spans about 2.5 h before the DLQ.
 */
export function retryDelaySeconds(receiveCount: number, random: () => number = Math.random): number {
  const base = 60 * 5 ** Math.max(0, receiveCount - 1);
  return Math.min(43_200, Math.round(base * (1 + 0.1 * random())));
}

/*
 * Deliver one outbound message to the shop's own systems.
 * 1. a message the log says was delivered is not POSTed again (SQS repeats messages)
 * 2. no endpoint configured: record `not_configured`, warn once per shop, done (no retry)
 * 3. sign and POST it; 2xx: record `delivered`
 * 4. a refusal (3xx, other 4xx): record `failed` with the status and the answer's start; done
 * 5. 408/429/5xx/timeout/network error: record `retrying` (on the last delivery `failed`) and ask
 *    for a retry, which the handler turns into a backoff and SQS into the next delivery (or the DLQ)
 * The body and the secret are never logged.
 */
export function outboundDeliverer(deps: DeliverDeps) {
  const warned = new Set<string>();
  return async (message: OutboundMessage, delivery: Delivery): Promise<DeliveryOutcome> => {
    const about = { shopId: message.shopId, outboundId: message.id, type: message.type };
    const previous = await deps.outboundLog.get(message);
    if (previous?.status === 'delivered') {
      logger.debug('outbound event delivered before', about);
      return { kind: 'already_delivered' };
    }
    const endpoint = await endpointFor(deps, message.shopId);
    if (!endpoint) {
      await deps.outboundLog.record(message, { status: 'not_configured', posted: false }, deps.clock.now());
      if (!warned.has(message.shopId)) {
        warned.add(message.shopId);
        logger.warn('no outbound endpoint for the shop; its events are recorded, not sent', about);
      }
      return { kind: 'not_configured' };
    }
    if (!OutboundUrl.safeParse(endpoint.url).success) {
      const error = 'the stored outbound URL is not valid; set it again with `aftersale outbound set`';
      await deps.outboundLog.record(message, { status: 'failed', posted: false, error }, deps.clock.now());
      logger.warn('outbound URL invalid', about);
      return { kind: 'refused' };
    }

    const response = await deps.outbound.post(outboundRequest(message, endpoint, deps.clock.now()));
    const verdict = classify(response);
    const now = deps.clock.now();
    const attempt = { ...about, receiveCount: delivery.receiveCount, statusCode: verdict.statusCode };
    if (verdict.status === 'delivered') {
      await deps.outboundLog.record(
        message,
        { status: 'delivered', posted: true, statusCode: verdict.statusCode },
        now,
      );
      logger.info('outbound event delivered', attempt);
      return { kind: 'delivered' };
    }
    const last = verdict.status === 'refused' || delivery.receiveCount >= MAX_RECEIVE_COUNT;
    await deps.outboundLog.record(
      message,
      {
        status: last ? 'failed' : 'retrying',
        posted: true,
        error: verdict.error,
        ...(verdict.statusCode !== undefined && { statusCode: verdict.statusCode }),
      },
      now,
    );
    if (verdict.status === 'refused') {
      // The answer's text stays in the log item for staff: it may echo what we sent.
      logger.warn('outbound event refused by the shop', attempt);
      return { kind: 'refused' };
    }
    if (last) logger.warn('outbound event not delivered after the last retry; it goes to the DLQ', attempt);
    const reason =
      response.kind === 'answered'
        ? `the endpoint answered ${response.status}`
        : `${response.kind}: ${response.error}`;
    return { kind: 'retry', reason, last };
  };
}

/**
 * The shop's endpoint through the short cache; when the cached copy has none, read once more, so
 * an endpoint set a moment ago (from the CLI) is used at once rather than recorded as missing.
 */
async function endpointFor(
  deps: Pick<AppDeps, 'shops'>,
  shopId: string,
): Promise<OutboundEndpoint | undefined> {
  return (
    outboundEndpointOf(await deps.shops.loadCached(shopId)) ??
    outboundEndpointOf(await deps.shops.loadCached(shopId, { maxAgeMs: 0 }))
  );
}
