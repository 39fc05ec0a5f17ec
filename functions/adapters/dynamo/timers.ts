import { BatchWriteCommand, GetCommand, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { CanonicalEvent } from '../../../schemas/events.ts';
import { TIMER_SHARDS } from '../../contract.ts';
import { config } from '../../lib/config.ts';
import { documentClient } from './client.ts';
import { keys } from './keys.ts';

export interface DueTimer {
  key: { pk: string; sk: string };
  shopId: string;
  event: CanonicalEvent;
}

/** The last minute fully swept (`2026-11-23T02:41`), or undefined on the first run. */
export async function getSweepCursor(): Promise<string | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: config.tableName(), Key: keys.sweepCursor(), ConsistentRead: true }),
  );
  return result.Item?.minute as string | undefined;
}

export async function setSweepCursor(minute: string, now: string): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: config.tableName(),
      Item: { ...keys.sweepCursor(), minute, updatedAt: now },
    }),
  );
}

/** All timers filed under one minute, across its shards. */
export async function timersInMinute(minute: string): Promise<DueTimer[]> {
  const out: DueTimer[] = [];
  for (let shard = 0; shard < TIMER_SHARDS; shard++) {
    const pages = paginateQuery(
      { client: documentClient() },
      {
        TableName: config.tableName(),
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

export async function deleteTimers(timerKeys: Array<{ pk: string; sk: string }>): Promise<void> {
  for (let i = 0; i < timerKeys.length; i += 25) {
    let requests: Record<string, unknown[]> | undefined = {
      [config.tableName()]: timerKeys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } })),
    };
    // Unprocessed items come back under throttling; a few rounds, then the next sweep finds them.
    for (let round = 0; requests && Object.keys(requests).length && round < 5; round++) {
      const result = await documentClient().send(new BatchWriteCommand({ RequestItems: requests as never }));
      requests = result.UnprocessedItems as Record<string, unknown[]> | undefined;
    }
  }
}
