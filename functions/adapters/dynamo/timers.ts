import { BatchWriteCommand, GetCommand, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
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
          out.push({ key: { pk: item.pk, sk: item.sk }, shopId: item.shopId, event: item.event });
        }
      }
    }
    return out;
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
