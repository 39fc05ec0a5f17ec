import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { NotificationMessage } from '../schemas/messages.ts';
import { documentClient } from './adapters/dynamo/client.ts';
import { keys } from './adapters/dynamo/keys.ts';
import { orderAggregateId } from './core/ids.ts';
import { sqsBatchHandler } from './lib/batch.ts';
import { config } from './lib/config.ts';
import { logger } from './lib/logger.ts';

/**
 * Records a planned notice once, keyed by its deterministic id, in the delivery log beside the
 * order (or, for a parcel not yet tied to an order, the shipment). A re-emitted notice finds its
 * record and is not logged (or, once channels exist, sent) twice.
 *
 * Rendering, consent, quiet hours, frequency caps and the channel senders are the notifications
 * issue; until then every notice stays `pending_channel`, visible to staff in the order view.
 */
export async function recordNotice(record: SQSRecord): Promise<void> {
  const notice = NotificationMessage.parse(JSON.parse(record.body));
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
    await documentClient().send(
      new PutCommand({
        TableName: config.tableName(),
        Item: {
          ...keys.notice(owner, notice.id),
          kind: 'notice',
          ...notice,
          status: 'pending_channel',
          recordedAt: new Date().toISOString(),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    logger.debug('notice already recorded', { id: notice.id });
  }
}

export const handler = sqsBatchHandler('send-notification', recordNotice);
