import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type InboxItem, InboxStatus, type InboxSummary } from '../../../schemas/inbox.ts';
import type { InboxStore } from '../../app/ports.ts';
import type { Db } from './client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { indexKeys, keys } from './keys.ts';

export type { InboxItem };
export { InboxStatus };

/** Processed and ignored items are kept this long for audit and replay; failed ones until handled. */
const KEEP_DAYS = 30;

function statusIndex(shopId: string, status: InboxStatus, receivedAt: string, inboxId: string) {
  return indexKeys('inboxByStatus', `SHOP#${shopId}#INBOX#${status}`, `${receivedAt}#${inboxId}`);
}

function fromItem(item: Record<string, unknown>): InboxItem {
  const {
    pk: _pk,
    sk: _sk,
    kind: _kind,
    inboxByStatusPk: _a,
    inboxByStatusSk: _b,
    expiresAt: _e,
    ...rest
  } = item;
  return {
    ...(rest as unknown as InboxItem),
    body: Buffer.from((item.body as Uint8Array | undefined) ?? []),
  };
}

export interface InboxPage {
  items: InboxSummary[];
  next?: string;
}

/** Re-enqueues of one stuck item at most; a message that keeps failing belongs in the DLQ, not a loop. */
const MAX_REQUEUES = 3;

/** The inbox: raw requests by shop, their status, and the status index (no Scan). */
export class DynamoInbox implements InboxStore {
  constructor(private readonly db: Db) {}

  /**
   * Stores a new inbox item unless one with the same id exists. Returns the existing item on a
   * duplicate, so the caller can tell a finished delivery from one still waiting to be processed.
   */
  async put(
    item: Omit<InboxItem, 'status' | 'attempts' | 'updatedAt'>,
  ): Promise<{ created: true } | { created: false; existing: InboxItem }> {
    const key = keys.inbox(item.shopId, item.inboxId);
    try {
      await this.db.client.send(
        new PutCommand({
          TableName: this.db.table,
          Item: {
            ...key,
            kind: 'inbox',
            ...item,
            bytes: item.body.length,
            status: 'received',
            attempts: 0,
            updatedAt: item.receivedAt,
            ...statusIndex(item.shopId, 'received', item.receivedAt, item.inboxId),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { created: true };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      const existing = await this.get(item.shopId, item.inboxId);
      if (!existing) throw err;
      return { created: false, existing };
    }
  }

  async get(shopId: string, inboxId: string): Promise<InboxItem | undefined> {
    const result = await this.db.client.send(
      new GetCommand({ TableName: this.db.table, Key: keys.inbox(shopId, inboxId), ConsistentRead: true }),
    );
    return result.Item ? fromItem(result.Item) : undefined;
  }

  /** Moves an item to a new status (with its index entry) and records why. */
  async setStatus(
    item: Pick<InboxItem, 'shopId' | 'inboxId' | 'receivedAt'>,
    status: InboxStatus,
    now: string,
    detail: { error?: string; eventIds?: string[] } = {},
  ): Promise<void> {
    const names: Record<string, string> = { '#s': 'status' };
    const values: Record<string, unknown> = {
      ':s': status,
      ':u': now,
      ...Object.fromEntries(
        Object.entries(statusIndex(item.shopId, status, item.receivedAt, item.inboxId)).map(([k, v]) => [
          `:${k}`,
          v,
        ]),
      ),
    };
    const sets = [
      '#s = :s',
      'updatedAt = :u',
      'inboxByStatusPk = :inboxByStatusPk',
      'inboxByStatusSk = :inboxByStatusSk',
    ];
    const removes: string[] = [];
    if (status === 'processed' || status === 'ignored') {
      sets.push('expiresAt = :e');
      values[':e'] = Math.floor(Date.parse(now) / 1000) + KEEP_DAYS * 86_400;
    } else {
      removes.push('expiresAt');
    }
    if (detail.error !== undefined) {
      sets.push('#err = :err');
      names['#err'] = 'error';
      values[':err'] = detail.error.slice(0, 2000);
    } else {
      removes.push('#err');
      names['#err'] = 'error';
    }
    if (detail.eventIds) {
      sets.push('eventIds = :ev');
      values[':ev'] = detail.eventIds;
    }
    if (status === 'received') sets.push('attempts = if_not_exists(attempts, :zero)');
    else sets.push('attempts = if_not_exists(attempts, :zero) + :one');
    values[':zero'] = 0;
    if (status !== 'received') values[':one'] = 1;
    await this.db.client.send(
      new UpdateCommand({
        TableName: this.db.table,
        Key: keys.inbox(item.shopId, item.inboxId),
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  /** A shop's inbox items in one status, newest first, a page at a time (no Scan). */
  async list(
    shopId: string,
    status: InboxStatus,
    options: { limit?: number; cursor?: string; olderThan?: string } = {},
  ): Promise<InboxPage> {
    const partition = `SHOP#${shopId}#INBOX#${status}`;
    const result = await this.db.client.send(
      new QueryCommand({
        TableName: this.db.table,
        IndexName: 'inboxByStatus',
        KeyConditionExpression: options.olderThan
          ? 'inboxByStatusPk = :pk AND inboxByStatusSk < :before'
          : 'inboxByStatusPk = :pk',
        ExpressionAttributeValues: {
          ':pk': partition,
          ...(options.olderThan && { ':before': options.olderThan }),
        },
        ScanIndexForward: false,
        Limit: options.limit ?? 50,
        ...(options.cursor && {
          ExclusiveStartKey: decodeCursor(options.cursor, {
            attributes: ['pk', 'sk', 'inboxByStatusPk', 'inboxByStatusSk'],
            fixed: { inboxByStatusPk: partition, sk: 'IN' },
            check: (key) => key.pk!.startsWith(`SHOP#${shopId}#IN#`),
          }),
        }),
      }),
    );
    return {
      items: (result.Items ?? []).map((raw) => {
        const { body: _b, headers: _h, query: _q, ...item } = fromItem(raw);
        return item;
      }),
      ...(result.LastEvaluatedKey && {
        next: encodeCursor(result.LastEvaluatedKey),
      }),
    };
  }

  /**
   * Claims one re-enqueue of an item still `received`: at most MAX_REQUEUES in all and one per
   * hour, so a message sitting out its retries is not multiplied. False if not claimed.
   */
  async claimRequeue(item: Pick<InboxItem, 'shopId' | 'inboxId'>, now: string): Promise<boolean> {
    const hourAgo = new Date(Date.parse(now) - 3_600_000).toISOString();
    try {
      await this.db.client.send(
        new UpdateCommand({
          TableName: this.db.table,
          Key: keys.inbox(item.shopId, item.inboxId),
          UpdateExpression: 'SET requeues = if_not_exists(requeues, :zero) + :one, requeuedAt = :now',
          ConditionExpression:
            '#s = :received AND (attribute_not_exists(requeues) OR (requeues < :max AND requeuedAt < :hourAgo))',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':zero': 0,
            ':one': 1,
            ':now': now,
            ':received': 'received',
            ':max': MAX_REQUEUES,
            ':hourAgo': hourAgo,
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
