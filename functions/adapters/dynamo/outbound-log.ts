import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OutboundMessage } from '../../../schemas/messages.ts';
import { OutboundDelivery } from '../../../schemas/outbound.ts';
import type { OutboundAttempt, OutboundLog } from '../../app/ports.ts';
import type { Db } from './client.ts';
import { keys } from './keys.ts';

/**
 * Beside the case when there is one (the case's partition, `OUT#<id>`), so the case view can read
 * its deliveries with the case; else in one partition per shop.
 */
export function outboundKey(message: Pick<OutboundMessage, 'shopId' | 'id' | 'caseId'>) {
  const pk = message.caseId
    ? keys.aggregate(message.shopId, 'case', message.caseId).pk
    : `SHOP#${message.shopId}#OUT`;
  return { pk, sk: `OUT#${message.id}` };
}

const FIELDS = Object.keys(OutboundDelivery.shape);

function toDelivery(item: Record<string, unknown>): OutboundDelivery {
  return OutboundDelivery.parse(Object.fromEntries(FIELDS.filter((f) => f in item).map((f) => [f, item[f]])));
}

/** The outbound delivery log: one item per event id, updated by every attempt until delivered. */
export class DynamoOutboundLog implements OutboundLog {
  constructor(private readonly db: Db) {}

  async get(
    message: Pick<OutboundMessage, 'shopId' | 'id' | 'caseId'>,
  ): Promise<OutboundDelivery | undefined> {
    const result = await this.db.client.send(
      new GetCommand({ TableName: this.db.table, Key: outboundKey(message), ConsistentRead: true }),
    );
    return result.Item ? toDelivery(result.Item) : undefined;
  }

  async record(message: OutboundMessage, attempt: OutboundAttempt, now: string): Promise<void> {
    const set: Record<string, unknown> = {
      kind: 'outbound',
      shopId: message.shopId,
      id: message.id,
      type: message.type,
      ...(message.caseId && { caseId: message.caseId }),
      occurredAt: message.plannedAt,
      status: attempt.status,
      updatedAt: now,
      ...(attempt.status === 'delivered' && { deliveredAt: now }),
      ...(attempt.statusCode !== undefined && { lastStatusCode: attempt.statusCode }),
      ...(attempt.error !== undefined && { lastError: attempt.error.slice(0, 1000) }),
    };
    // What the last attempt did not have must not linger from an earlier one.
    const remove = ['lastStatusCode', 'lastError'].filter((name) => !(name in set));
    const names = Object.fromEntries(
      [...Object.keys(set), ...remove, 'attempts'].map((name) => [`#${name}`, name]),
    );
    try {
      await this.db.client.send(
        new UpdateCommand({
          TableName: this.db.table,
          Key: outboundKey(message),
          UpdateExpression:
            `SET ${Object.keys(set)
              .map((name) => `#${name} = :${name}`)
              .join(', ')}, #attempts = if_not_exists(#attempts, :zero) + :posted` +
            (remove.length ? ` REMOVE ${remove.map((name) => `#${name}`).join(', ')}` : ''),
          // A late failure (a duplicate delivery of the message) never overwrites a success.
          ConditionExpression: 'attribute_not_exists(pk) OR #status <> :delivered',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ...Object.fromEntries(Object.entries(set).map(([name, value]) => [`:${name}`, value])),
            ':zero': 0,
            ':posted': attempt.posted ? 1 : 0,
            ':delivered': 'delivered',
          },
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return;
      throw err;
    }
  }

  async list(shopId: string, caseId?: string): Promise<OutboundDelivery[]> {
    const { pk } = outboundKey({ shopId, id: '', ...(caseId && { caseId }) });
    const result = await this.db.client.send(
      new QueryCommand({
        TableName: this.db.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :out)',
        ExpressionAttributeValues: { ':pk': pk, ':out': 'OUT#' },
        Limit: 200,
      }),
    );
    return (result.Items ?? [])
      .map(toDelivery)
      .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || a.id.localeCompare(b.id));
  }
}
