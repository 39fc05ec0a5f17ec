import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { NotificationMessage } from '../../../schemas/messages.ts';
import type { NoticeLog } from '../../app/ports.ts';
import { orderAggregateId } from '../../core/ids.ts';
import type { Db } from './client.ts';
import { indexKeys, keys } from './keys.ts';

/**
 * The delivery log: one item per notice id beside what it is about (the order, else the
 * shipment), so a re-emitted notice finds its record and is not logged (or sent) twice.
 */
export class DynamoNoticeLog implements NoticeLog {
  constructor(private readonly db: Db) {}

  async record(notice: NotificationMessage, now: string): Promise<boolean> {
    const owner = notice.orderId
      ? keys.aggregate(
          notice.shopId,
          'order',
          orderAggregateId(notice.orderProvider ?? 'generic', notice.orderId),
        ).pk
      : notice.shipmentId
        ? keys.aggregate(notice.shopId, 'shipment', notice.shipmentId).pk
        : `SHOP#${notice.shopId}#NOTES`;
    try {
      await this.db.client.send(
        new PutCommand({
          TableName: this.db.table,
          Item: {
            ...keys.notice(owner, notice.id),
            kind: 'notice',
            ...notice,
            status: 'pending_channel',
            recordedAt: now,
            ...indexKeys('noticesByShop', `SHOP#${notice.shopId}#NOTICES`, `${now}#${notice.id}`),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }
}
