import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CommitRequest, EventStore, LoadedForApply, TimerEffect } from '../../app/ports.ts';
import { TIMER_SHARDS } from '../../contract.ts';
import type { AggregateKind, AggregateRef, Effect } from '../../core/engine/types.ts';
import type { Db } from './client.ts';
import { indexKeys, keys } from './keys.ts';

/** Applied markers outlive every provider's retry horizon (AfterShip: ~68 h; SQS retention: 4 days). */
const MARKER_DAYS = 14;

/**
 * Aggregates, their applied-markers and timers on the one table. `load` reads the marker and every
 * aggregate in one strongly consistent BatchGet; `commit` writes the new states (each conditional
 * on its version), the marker and the timers in ONE TransactWriteItems.
 */
export class DynamoEventStore implements EventStore {
  constructor(private readonly db: Db) {}

  async load(shopId: string, refs: AggregateRef[], eventId: string): Promise<LoadedForApply> {
    const aggregateKeys = refs.map((ref) => keys.aggregate(shopId, ref.aggregate, ref.id));
    const markerKey = keys.applied(aggregateKeys[0]!.pk, eventId);
    const got = await this.db.client.send(
      new BatchGetCommand({
        RequestItems: { [this.db.table]: { Keys: [markerKey, ...aggregateKeys], ConsistentRead: true } },
      }),
    );
    const items = got.Responses?.[this.db.table] ?? [];
    const find = (k: { pk: string; sk: string }) => items.find((i) => i.pk === k.pk && i.sk === k.sk);
    const marker = find(markerKey);
    return {
      ...(marker && { marker: { effects: (marker.effects as Effect[] | undefined) ?? [] } }),
      states: refs.map((ref, i) => {
        const item = find(aggregateKeys[i]!);
        return { ref, state: item?.data, version: (item?.version as number | undefined) ?? 0 };
      }),
    };
  }

  async commit(shopId: string, request: CommitRequest): Promise<'committed' | 'conflict'> {
    const table = this.db.table;
    const markerPk = keys.aggregate(shopId, request.markerRef.aggregate, request.markerRef.id).pk;
    const transactItems: NonNullable<TransactWriteCommandInput['TransactItems']> = [];
    for (const change of request.changes) {
      const key = keys.aggregate(shopId, change.ref.aggregate, change.ref.id);
      const version = change.expectedVersion;
      transactItems.push({
        Put: {
          TableName: table,
          Item: {
            ...key,
            kind: change.ref.aggregate,
            shopId,
            id: change.ref.id,
            data: change.state,
            version: version + 1,
            updatedAt: request.now,
            ...indexAttributes(shopId, change.ref, change.state),
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
          ...keys.applied(markerPk, request.event.eventId),
          kind: 'applied',
          eventType: request.event.type,
          effects: request.published,
          appliedAt: request.now,
          expiresAt: Math.floor(Date.parse(request.now) / 1000) + MARKER_DAYS * 86_400,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    });
    for (const timer of request.timers) {
      transactItems.push({ Put: { TableName: table, Item: timerItem(shopId, timer, request.now) } });
    }
    // A new order counts towards the day's orders (the summary's return rate), in the same transaction.
    const newOrders = request.changes.filter(
      (c) => c.ref.aggregate === 'order' && c.expectedVersion === 0,
    ).length;
    if (newOrders) {
      transactItems.push({
        Update: {
          TableName: table,
          Key: keys.stats(shopId, request.now.slice(0, 10)),
          UpdateExpression: 'ADD ordersCreated :n SET kind = :k',
          ExpressionAttributeValues: { ':n': newOrders, ':k': 'stats' },
        },
      });
    }
    try {
      await this.db.client.send(new TransactWriteCommand({ TransactItems: transactItems }));
      return 'committed';
    } catch (err) {
      const conflict =
        err instanceof TransactionCanceledException &&
        (err.CancellationReasons ?? []).some(
          (r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict',
        );
      if (conflict) return 'conflict';
      throw err;
    }
  }
}

/** A timer item lands in the bucket of its due minute, or the next minute if already due. */
export function timerItem(shopId: string, timer: TimerEffect, now: string): Record<string, unknown> {
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
