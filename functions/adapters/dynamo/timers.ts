import { BatchWriteCommand, GetCommand, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { NotificationMessage } from '../../../schemas/messages.ts';
import type { DueTimer, TimerStore } from '../../app/ports.ts';
import { TIMER_SHARDS } from '../../contract.ts';
import type { Db } from './client.ts';
import { keys } from './keys.ts';

/** Timer items by due minute and the sweep cursor. */
export class DynamoTimers implements TimerStore {
  constructor(private readonly db: Db) {}

  /** The last minute fully swept (`2026-11-23T02:41`), or undefined on the first run. */
  async getSweepCursor(): Promise<string | undefined> {
    const result = await this.db.client.send(
      new GetCommand({ TableName: this.db.table, Key: keys.sweepCursor(), ConsistentRead: true }),
    );
    return result.Item?.minute as string | undefined;
  }

  async setSweepCursor(minute: string, now: string): Promise<void> {
    await this.db.client.send(
      new PutCommand({
        TableName: this.db.table,
        Item: { ...keys.sweepCursor(), minute, updatedAt: now },
      }),
    );
  }

  /** All timers filed under one minute, across its shards. */
  async timersInMinute(minute: string): Promise<DueTimer[]> {
    const out: DueTimer[] = [];
    for (let shard = 0; shard < TIMER_SHARDS; shard++) {
      const pages = paginateQuery(
        { client: this.db.client },
        {
          TableName: this.db.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `TIMER#${minute}#${shard}` },
          ConsistentRead: true,
        },
      );
      for await (const page of pages) {
        for (const item of page.Items ?? []) {
          const key = { pk: item.pk as string, sk: item.sk as string };
          out.push(
            item.notice
              ? { key, shopId: item.shopId, notice: item.notice }
              : { key, shopId: item.shopId, event: item.event },
          );
        }
      }
    }
    return out;
  }

  async deferNotice(notice: NotificationMessage, dueAt: string, now: string): Promise<void> {
    const nextMinute = Math.floor(Date.parse(now) / 60_000) * 60_000 + 60_000;
    const bucket = new Date(Math.max(Date.parse(dueAt), nextMinute)).toISOString().slice(0, 16);
    const id = `notice-${notice.id}`;
    const shard = (Number.parseInt(notice.id.slice(0, 8), 16) || 0) % TIMER_SHARDS;
    await this.db.client.send(
      new PutCommand({
        TableName: this.db.table,
        Item: {
          ...keys.timer(bucket, shard, dueAt, id),
          kind: 'timer',
          shopId: notice.shopId,
          timerId: id,
          dueAt,
          notice,
          expiresAt: Math.floor(Date.parse(dueAt) / 1000) + 30 * 86_400,
        },
      }),
    );
  }

  async deleteTimers(timerKeys: Array<{ pk: string; sk: string }>): Promise<void> {
    for (let i = 0; i < timerKeys.length; i += 25) {
      let requests: Record<string, unknown[]> | undefined = {
        [this.db.table]: timerKeys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } })),
      };
      // Unprocessed items come back under throttling; a few rounds, then the next sweep finds them.
      for (let round = 0; requests && Object.keys(requests).length && round < 5; round++) {
        const result = await this.db.client.send(new BatchWriteCommand({ RequestItems: requests as never }));
        requests = result.UnprocessedItems as Record<string, unknown[]> | undefined;
      }
    }
  }
}
