import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateLimiter } from '../../app/ports.ts';
import type { Db } from './client.ts';

/**
 * Fixed-window counters: one item per key and window (`RATE#{key}` / `{windowStart}`), incremented
 * with a condition, so concurrent requests cannot overshoot; the item expires with its window.
 */
export class DynamoRateLimiter implements RateLimiter {
  constructor(private readonly db: Db) {}

  async take(key: string, limit: number, windowSeconds: number, nowMs: number): Promise<boolean> {
    const windowStart = Math.floor(nowMs / 1000 / windowSeconds) * windowSeconds;
    try {
      await this.db.client.send(
        new UpdateCommand({
          TableName: this.db.table,
          Key: { pk: `RATE#${key}`, sk: String(windowStart) },
          UpdateExpression: 'SET #c = if_not_exists(#c, :zero) + :one, expiresAt = :exp',
          ConditionExpression: 'attribute_not_exists(#c) OR #c < :limit',
          ExpressionAttributeNames: { '#c': 'count' },
          ExpressionAttributeValues: {
            ':zero': 0,
            ':one': 1,
            ':limit': limit,
            ':exp': windowStart + 2 * windowSeconds,
          },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
