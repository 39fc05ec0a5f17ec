import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CanonicalEvent } from '../../../schemas/events.ts';
import { TIMER_SHARDS } from '../../contract.ts';
import { applyToAggregates, routeEvent } from '../../core/engine/apply.ts';
import type { AggregateKind, AggregateRef, Effect, ShopSettings } from '../../core/engine/types.ts';
import { config } from '../../lib/config.ts';
import { VersionConflictError } from '../../lib/errors.ts';
import { documentClient } from './client.ts';
import { indexKeys, keys } from './keys.ts';

/** Applied markers outlive every provider's retry horizon (AfterShip: ~68 h; SQS retention: 4 days). */
const MARKER_DAYS = 14;
/**
 * Tries before a conflict goes back to SQS (whose retry waits a whole visibility timeout). Twenty
 * workers on one hot order settle within about ten rounds of "full jitter" backoff, up to ~5 s.
 */
const MAX_ATTEMPTS = 10;
const MAX_BACKOFF_MS = 1000;

export interface ApplyOutcome {
  /** Effects to publish (notices, follow-on events); timers are already written. */
  effects: Effect[];
  /** True when the event had been applied before; its recorded effects are returned again. */
  replayed: boolean;
}

/**
 * Applies an event: loads the aggregates it touches and the applied-marker (strongly consistent),
 * runs the pure reducers, then writes new states (each conditional on its version), the marker and
 * any timers in ONE transaction. A concurrent writer makes the condition fail; we reload and retry.
 * A replay finds the marker and gets the same effects back, whose deterministic ids make
 * re-publishing them harmless.
 */
export async function applyEvent(
  shop: ShopSettings,
  event: CanonicalEvent,
  now: string,
): Promise<ApplyOutcome> {
  const refs = routeEvent(event, shop);
  if (refs.length === 0) return { effects: [], replayed: false };
  const table = config.tableName();
  const aggregateKeys = refs.map((ref) => keys.aggregate(shop.shopId, ref.aggregate, ref.id));
  const markerKey = keys.applied(aggregateKeys[0]!.pk, event.eventId);

  for (let attempt = 1; ; attempt++) {
    const got = await documentClient().send(
      new BatchGetCommand({
        RequestItems: { [table]: { Keys: [markerKey, ...aggregateKeys], ConsistentRead: true } },
      }),
    );
    const items = got.Responses?.[table] ?? [];
    const find = (k: { pk: string; sk: string }) => items.find((i) => i.pk === k.pk && i.sk === k.sk);
    const marker = find(markerKey);
    if (marker) return { effects: (marker.effects as Effect[]) ?? [], replayed: true };

    const loaded = refs.map((ref, i) => {
      const item = find(aggregateKeys[i]!);
      return { ref, state: item?.data, version: (item?.version as number | undefined) ?? 0 };
    });
    const { changes, effects } = applyToAggregates(event, loaded, { shop, now });
    const timers = effects.filter((e): e is Extract<Effect, { kind: 'timer' }> => e.kind === 'timer');
    const published = effects.filter((e) => e.kind !== 'timer');

    const transactItems: NonNullable<TransactWriteCommandInput['TransactItems']> = [];
    for (const change of changes) {
      const i = refs.indexOf(change.ref);
      const version = loaded[i]!.version;
      transactItems.push({
        Put: {
          TableName: table,
          Item: {
            ...aggregateKeys[i]!,
            kind: change.ref.aggregate,
            shopId: shop.shopId,
            id: change.ref.id,
            data: change.after,
            version: version + 1,
            updatedAt: now,
            ...indexAttributes(shop.shopId, change.ref, change.after),
          },
          ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
          ...(version !== 0 && { ExpressionAttributeValues: { ':v': version } }),
        },
      });
    }
    transactItems.push({
      Put: {
        TableName: table,
        Item: {
          ...markerKey,
          kind: 'applied',
          eventType: event.type,
          effects: published,
          appliedAt: now,
          expiresAt: Math.floor(Date.parse(now) / 1000) + MARKER_DAYS * 86_400,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    for (const timer of timers) {
      transactItems.push({ Put: { TableName: table, Item: timerItem(shop.shopId, timer, now) } });
    }

    try {
      await documentClient().send(new TransactWriteCommand({ TransactItems: transactItems }));
      return { effects: published, replayed: false };
    } catch (err) {
      const conflict =
        err instanceof TransactionCanceledException &&
        (err.CancellationReasons ?? []).some(
          (r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict',
        );
      if (!conflict) throw err;
      if (attempt >= MAX_ATTEMPTS) {
        throw new VersionConflictError(`event ${event.eventId} kept conflicting with concurrent writes`);
      }
      // Full jitter: workers on one hot order must not retry in lockstep.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(MAX_BACKOFF_MS, 10 * 2 ** attempt)));
    }
  }
}

/** A timer item lands in the bucket of its due minute, or the next minute if already due. */
export function timerItem(
  shopId: string,
  timer: Extract<Effect, { kind: 'timer' }>,
  now: string,
): Record<string, unknown> {
  const nextMinute = Math.floor(Date.parse(now) / 60_000) * 60_000 + 60_000;
  // A timer already due goes into the next minute: the sweep only reads minutes that are over.
  const bucket = new Date(Math.max(Date.parse(timer.dueAt), nextMinute)).toISOString().slice(0, 16);
  const shard = (Number.parseInt(timer.id.slice(0, 8), 16) || 0) % TIMER_SHARDS;
  return {
    ...keys.timer(bucket, shard, timer.dueAt, timer.id),
    kind: 'timer',
    shopId,
    timerId: timer.id,
    dueAt: timer.dueAt,
    event: timer.event,
    expiresAt: Math.floor(Date.parse(timer.dueAt) / 1000) + 30 * 86_400,
  };
}

/** GSI attributes of an aggregate, named after the access pattern (infra/topology.ts). */
function indexAttributes(shopId: string, ref: AggregateRef, state: unknown): Record<string, string> {
  const s = state as Record<string, unknown>;
  const kind: AggregateKind = ref.aggregate;
  if (kind === 'order' && typeof s.number === 'string') {
    return indexKeys('orderByNumber', `SHOP#${shopId}#NO#${s.number}`, ref.id);
  }
  if (kind === 'customer') {
    return {
      ...(typeof s.emailHash === 'string' &&
        indexKeys('customerByEmail', `SHOP#${shopId}#EMAIL#${s.emailHash}`, ref.id)),
      ...(typeof s.phoneHash === 'string' &&
        indexKeys('customerByPhone', `SHOP#${shopId}#PHONE#${s.phoneHash}`, ref.id)),
    };
  }
  if (kind === 'case' && typeof s.status === 'string') {
    return indexKeys('casesByStatus', `SHOP#${shopId}#CASES#${s.status}`, `${s.requestedAt ?? ''}#${ref.id}`);
  }
  return {};
}
