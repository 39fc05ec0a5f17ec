import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { CanonicalEvent } from '../schemas/events.ts';
import { InboundMessage } from '../schemas/messages.ts';
import { connectorFor } from './adapters/connectors/index.ts';
import type { ParseContext } from './adapters/connectors/types.ts';
import { applyEvent } from './adapters/dynamo/event-store.ts';
import { getInboxItem, type InboxItem, setInboxStatus } from './adapters/dynamo/inbox.ts';
import { loadShopCached, settingsOf } from './adapters/dynamo/shops.ts';
import { publishEffects } from './adapters/sqs.ts';
import { MAX_RECEIVE_COUNT } from './contract.ts';
import type { ShopSettings } from './core/engine/types.ts';
import { receiveCountOf, sqsBatchHandler } from './lib/batch.ts';
import { stableId } from './lib/crypto.ts';
import { failureReason, isPermanent, UnparseablePayloadError } from './lib/errors.ts';
import { logger } from './lib/logger.ts';
import { count } from './lib/metrics.ts';

/**
 * One inbound message. Throwing reports the record in `batchItemFailures`, so SQS redelivers it
 * after the visibility timeout and moves it to the DLQ after 5 receives. Problems that a retry
 * cannot fix (a body we cannot parse) are recorded on the inbox item instead, for replay.
 */
export async function processRecord(record: SQSRecord): Promise<void> {
  const message = InboundMessage.parse(JSON.parse(record.body));
  const now = new Date().toISOString();
  if (message.kind === 'event') {
    const shop = await requireShop(message.shopId);
    const { effects } = await applyEvent(shop, message.event, now);
    await publishEffects(message.shopId, effects, now);
    return;
  }
  await processInboxItem(message.shopId, message.inboxId, now, { receiveCount: receiveCountOf(record) });
}

/*
 * 1. load the inbox item; a finished one is left alone (redelivery, replay of a processed item)
 * 2. parse it with its provider's connector into canonical events (pure)
 * 3. apply each event (one transaction per event, idempotent) and publish its effects
 * 4. mark the item processed, ignored or failed (with the reason)
 * An error no retry can fix (see isPermanent) marks the item failed at once; any other is thrown
 * for SQS to retry, and on the last delivery before the DLQ the item is marked failed as well, so
 * `inbox list --status failed` shows everything that needs a person.
 */
export async function processInboxItem(
  shopId: string,
  inboxId: string,
  now: string,
  delivery: { receiveCount: number } = { receiveCount: 1 },
): Promise<void> {
  const item = await getInboxItem(shopId, inboxId);
  if (!item) {
    logger.warn('inbox item not found', { shopId, inboxId });
    return;
  }
  if (item.status === 'processed' || item.status === 'ignored') return;
  const fail = async (reason: string) => {
    await setInboxStatus(item, 'failed', now, { error: reason });
    count('InboxItemsFailed');
  };
  try {
    await processItem(item, now, fail);
  } catch (err) {
    if (isPermanent(err)) {
      logger.warn('inbox item failed for good', {
        shopId,
        inboxId,
        provider: item.provider,
        reason: failureReason(err),
      });
      await fail(failureReason(err));
      return;
    }
    if (delivery.receiveCount >= MAX_RECEIVE_COUNT) {
      await fail(`gave up after ${delivery.receiveCount} deliveries: ${failureReason(err)}`);
    }
    throw err;
  }
}

async function processItem(
  item: InboxItem,
  now: string,
  fail: (reason: string) => Promise<void>,
): Promise<void> {
  const { shopId, inboxId } = item;
  const connector = connectorFor(item.provider);
  if (!connector) return fail(`no connector for provider ${item.provider}`);
  const shop = await requireShop(shopId);

  const ctx: ParseContext = {
    shopId,
    inboxId,
    dedupeKey: item.dedupeKey,
    receivedAt: item.receivedAt,
    eventId: (suffix) => stableId(shopId, item.provider, item.dedupeKey, suffix),
  };
  let events: CanonicalEvent[];
  try {
    const parsed = connector.parse(
      { body: item.body, headers: item.headers, query: item.query, receivedAt: item.receivedAt },
      ctx,
    );
    if (parsed.kind === 'ignored') {
      await setInboxStatus(item, 'ignored', now, { error: parsed.reason });
      return;
    }
    events = parsed.events.map((e, i) => {
      const result = CanonicalEvent.safeParse(e);
      if (!result.success) {
        throw new UnparseablePayloadError(
          `event ${i} (${e.type}) is invalid: ${z.prettifyError(result.error).slice(0, 1500)}`,
        );
      }
      return speaksForItself(result.data, connector.provider, i);
    });
  } catch (err) {
    if (!(err instanceof UnparseablePayloadError)) throw err;
    logger.warn('inbox item could not be parsed', {
      shopId,
      inboxId,
      provider: item.provider,
      reason: err.message,
    });
    await fail(err.message);
    return;
  }

  for (const event of events) {
    const { effects } = await applyEvent(shop, event, now);
    await publishEffects(shopId, effects, now);
  }
  await setInboxStatus(item, 'processed', now, { eventIds: events.map((e) => e.eventId) });
}

/**
 * A connector speaks only for its own marketplace: its events carry its name as provider and never
 * `orderProvider`, which only the core sets (on the events it makes itself, provider `system`).
 * Checked here, for every connector at once, so no parser can reach another marketplace's orders.
 */
function speaksForItself(event: CanonicalEvent, provider: string, i: number): CanonicalEvent {
  if (event.provider !== provider) {
    throw new UnparseablePayloadError(`event ${i} claims provider ${event.provider}, not ${provider}`);
  }
  if ('orderProvider' in event && event.orderProvider !== undefined) {
    throw new UnparseablePayloadError(
      `event ${i} names another marketplace's order (${event.orderProvider})`,
    );
  }
  return event;
}

async function requireShop(shopId: string): Promise<ShopSettings> {
  // Settings change rarely; a batch of ten events for one shop should not read them ten times.
  const loaded = await loadShopCached(shopId);
  // Retried, then dead-lettered: a message for a shop that does not exist needs a human.
  if (!loaded) throw new Error(`shop ${shopId} does not exist`);
  return settingsOf(loaded.shop);
}

export const handler = sqsBatchHandler('process-event', processRecord);
