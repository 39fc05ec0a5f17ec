import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { NotificationMessage } from '../../../schemas/messages.ts';
import type { NoticeLog, NoticeOutcome, NoticeRecord } from '../../app/ports.ts';
import { orderAggregateId } from '../../core/ids.ts';
import type { Db } from './client.ts';
import { keys } from './keys.ts';

/** What a notice is kept beside: its order, else its shipment, else its customer. */
function ownerOf(notice: NotificationMessage): string {
  if (notice.orderId)
    return keys.aggregate(
      notice.shopId,
      'order',
      orderAggregateId(notice.orderProvider ?? 'generic', notice.orderId),
    ).pk;
  if (notice.shipmentId) return keys.aggregate(notice.shopId, 'shipment', notice.shipmentId).pk;
  if (notice.customerId) return keys.aggregate(notice.shopId, 'customer', notice.customerId).pk;
  return `SHOP#${notice.shopId}#NOTES`;
}

/** Statuses an attempt may take a notice from. */
const CLAIMABLE = ['pending_channel', 'retrying', 'deferred'];

/**
 * The delivery log: one item per notice id beside what it is about, so a re-emitted notice finds
 * its record. An attempt is recorded (`sending`) before the channel is called and its outcome
 * after, each a conditional write: two deliveries of one SQS message cannot both send, and a
 * crash between the send and the record leaves `sending`, which a retry settles as `unconfirmed`
 * instead of sending again.
 */
export class DynamoNoticeLog implements NoticeLog {
  constructor(private readonly db: Db) {}

  async claim(
    notice: NotificationMessage,
    now: string,
  ): Promise<{ claimed: true; capTaken?: boolean } | { claimed: false; record: NoticeRecord }> {
    const key = keys.notice(ownerOf(notice), notice.id);
    const { id, shopId, template, data, plannedAt, orderId, orderProvider, shipmentId, customerId } = notice;
    const first: Record<string, unknown> = {
      kind: 'notice',
      id,
      shopId,
      template,
      data,
      plannedAt,
      recordedAt: now,
      noticesByShopPk: `SHOP#${shopId}#NOTICES`,
      noticesByShopSk: `${now}#${id}`,
      ...(orderId && { orderId }),
      ...(orderProvider && { orderProvider }),
      ...(shipmentId && { shipmentId }),
      ...(customerId && { customerId }),
    };
    const names: Record<string, string> = {
      '#status': 'status',
      '#attempts': 'attempts',
      '#startedAt': 'startedAt',
    };
    const values: Record<string, unknown> = {
      ':sending': 'sending',
      ':now': now,
      ':one': 1,
      ':zero': 0,
      ...Object.fromEntries(CLAIMABLE.map((s, i) => [`:c${i}`, s])),
    };
    const sets = [
      '#status = :sending',
      '#startedAt = :now',
      '#attempts = if_not_exists(#attempts, :zero) + :one',
    ];
    for (const [i, [field, value]] of Object.entries(first).entries()) {
      names[`#f${i}`] = field;
      values[`:f${i}`] = value;
      sets.push(`#f${i} = if_not_exists(#f${i}, :f${i})`);
    }
    try {
      const { Attributes } = await this.db.client.send(
        new UpdateCommand({
          TableName: this.db.table,
          Key: key,
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: `attribute_not_exists(pk) OR #status IN (${CLAIMABLE.map((_, i) => `:c${i}`).join(', ')})`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      // A retry of an attempt that counted the frequency cap does not count it again.
      return Attributes?.capTaken === true ? { claimed: true, capTaken: true } : { claimed: true };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      // The item as it is (raw attribute values: the document client does not unmarshall errors).
      const item = (err.Item ?? {}) as Record<string, unknown>;
      const raw = (v: unknown) =>
        v && typeof v === 'object'
          ? ((v as Record<string, unknown>).S ??
            (v as Record<string, unknown>).N ??
            (v as Record<string, unknown>).BOOL)
          : v;
      const startedAt = raw(item.startedAt);
      return {
        claimed: false,
        record: {
          status: (raw(item.status) ?? 'sending') as NoticeRecord['status'],
          attempts: Number(raw(item.attempts) ?? 0),
          ...(typeof startedAt === 'string' && { startedAt }),
          ...(raw(item.capTaken) === true && { capTaken: true }),
        },
      };
    }
  }

  async settle(notice: NotificationMessage, outcome: NoticeOutcome, now: string): Promise<void> {
    const fields: Record<string, unknown> = { ...outcome, settledAt: now };
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    for (const [i, [field, value]] of Object.entries(fields).entries()) {
      if (value === undefined) continue;
      names[`#f${i}`] = field;
      values[`:f${i}`] = value;
      sets.push(`#f${i} = :f${i}`);
    }
    // A retry's outcome replaces the reason of the attempt before it.
    const removed = ['reason', 'deferredUntil'].filter(
      (f) => !(f in outcome) || outcome[f as keyof NoticeOutcome] === undefined,
    );
    removed.forEach((f, i) => {
      names[`#r${i}`] = f;
    });
    await this.db.client.send(
      new UpdateCommand({
        TableName: this.db.table,
        Key: keys.notice(ownerOf(notice), notice.id),
        UpdateExpression: `SET ${sets.join(', ')}${removed.length ? ` REMOVE ${removed.map((_, i) => `#r${i}`).join(', ')}` : ''}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }

  async markCapTaken(notice: NotificationMessage): Promise<void> {
    await this.db.client.send(
      new UpdateCommand({
        TableName: this.db.table,
        Key: keys.notice(ownerOf(notice), notice.id),
        UpdateExpression: 'SET capTaken = :t',
        ExpressionAttributeValues: { ':t': true },
        ConditionExpression: 'attribute_exists(pk)',
      }),
    );
  }
}
