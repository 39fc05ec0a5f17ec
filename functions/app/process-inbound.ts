import * as z from 'zod';
import { CanonicalEvent } from '../../schemas/events.ts';
import type { InboxItem } from '../../schemas/inbox.ts';
import type { InboundMessage } from '../../schemas/messages.ts';
import { MAX_RECEIVE_COUNT } from '../contract.ts';
import type { ShopSettings } from '../core/engine/types.ts';
import { stableId } from '../lib/crypto.ts';
import { failureReason, isPermanent, UnparseablePayloadError } from '../lib/errors.ts';
import { logger } from '../lib/logger.ts';
import { count } from '../lib/metrics.ts';
import { applyEvent } from './apply-event.ts';
import type { ParseContext } from './connectors.ts';
import type { AppDeps } from './ports.ts';
import { publishEffects } from './publish-effects.ts';
import { settingsOf } from './settings.ts';

export type ProcessDeps = Pick<AppDeps, 'inbox' | 'shops' | 'events' | 'queues' | 'connectors' | 'clock'>;

/** Which delivery of its queue message this is (SQS ApproximateReceiveCount). */
export interface Delivery {
  receiveCount: number;
}

/*
 * One inbound message: a follow-on or timer event travels whole and is applied at once; an inbox
 * item travels as a reference and is parsed first. Throwing hands the message back to SQS, which
 * delivers it again after the visibility timeout and moves it to the DLQ after 5 receives.
 */
export async function processInbound(
  deps: ProcessDeps,
  message: InboundMessage,
  delivery: Delivery,
): Promise<void> {
  if (message.kind === 'event') {
    const shop = await requireShop(deps, message.shopId);
    const { effects } = await applyEvent(deps, shop, message.event);
    await publishEffects(deps.queues, message.shopId, effects, deps.clock.now());
    return;
  }
  await processInboxItem(deps, message.shopId, message.inboxId, delivery);
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
  deps: ProcessDeps,
  shopId: string,
  inboxId: string,
  delivery: Delivery = { receiveCount: 1 },
): Promise<void> {
  const now = deps.clock.now();
  const item = await deps.inbox.get(shopId, inboxId);
  if (!item) {
    logger.warn('inbox item not found', { shopId, inboxId });
    return;
  }
  if (item.status === 'processed' || item.status === 'ignored') return;
  const fail = async (reason: string) => {
    await deps.inbox.setStatus(item, 'failed', now, { error: reason });
    count('InboxItemsFailed');
  };
  try {
    await processItem(deps, item, now, fail);
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
  deps: ProcessDeps,
  item: InboxItem,
  now: string,
  fail: (reason: string) => Promise<void>,
): Promise<void> {
  const { shopId, inboxId } = item;
  const connector = deps.connectors(item.provider);
  if (!connector) return fail(`no connector for provider ${item.provider}`);
  const shop = await requireShop(deps, shopId);

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
      await deps.inbox.setStatus(item, 'ignored', now, { error: parsed.reason });
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
    const { effects } = await applyEvent(deps, shop, event);
    await publishEffects(deps.queues, shopId, effects, deps.clock.now());
  }
  await deps.inbox.setStatus(item, 'processed', now, { eventIds: events.map((e) => e.eventId) });
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

async function requireShop(deps: Pick<ProcessDeps, 'shops'>, shopId: string): Promise<ShopSettings> {
  // Settings change rarely; a batch of ten events for one shop should not read them ten times.
  const loaded = await deps.shops.loadCached(shopId);
  // Retried, then dead-lettered: a message for a shop that does not exist needs a human.
  if (!loaded) throw new Error(`shop ${shopId} does not exist`);
  return settingsOf(loaded.shop);
}
