import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PolicyStore } from '../../app/ports.ts';
import { VersionConflictError } from '../../lib/errors.ts';
import type { Db } from './client.ts';
import { keys } from './keys.ts';

/** Every published version of a shop's policy, in the shop's partition (`POLICY#000001`...). */
export class DynamoPolicies implements PolicyStore {
  constructor(private readonly db: Db) {}

  async current(shopId: string) {
    const result = await this.db.client.send(
      new QueryCommand({
        TableName: this.db.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': keys.policy(shopId, 0).pk, ':p': 'POLICY#' },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = result.Items?.[0];
    if (!item) return undefined;
    return {
      version: item.version as number,
      document: item.document,
      publishedAt: item.publishedAt as string,
      by: item.by as string,
    };
  }

  async publish(shopId: string, document: unknown, by: string, now: string): Promise<number> {
    const version = ((await this.current(shopId))?.version ?? 0) + 1;
    try {
      await this.db.client.send(
        new PutCommand({
          TableName: this.db.table,
          Item: { ...keys.policy(shopId, version), kind: 'policy', version, document, by, publishedAt: now },
          // Two managers publishing at once: the second is told, not silently overwritten.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        throw new VersionConflictError(
          `policy version ${version} was published meanwhile; review and publish again`,
        );
      }
      throw err;
    }
    return version;
  }
}
