import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { OutgoingMessage, SendResult, StaffAlert } from '../../../schemas/notifications.ts';
import type { ChannelSender, OutboxEntry, OutboxStore, StaffAlertSender } from '../../app/channels.ts';
import type { Clock } from '../../app/ports.ts';
import type { Db } from '../dynamo/client.ts';
import { checkEmail } from './email.ts';

/** The outbox is for looking at what would have gone out, not an archive. */
const KEEP_DAYS = 30;
const MAX_LIST = 100;

/**
 * Each entry is written three times in one transaction: a marker keyed by its id (the condition
 * that makes a second put of the same notice a no-op), the entry in its shop's partition, and the
 * entry in one `OUTBOX` partition for every shop (so listing without a shop needs no Scan and no
 * index). The sort key `<createdAt>#<id>` lists newest first. The shared partition is fine for a
 * local or low-volume outbox; a shop that really sends uses a provider, not the outbox.
 */
export const outboxKeys = {
  marker: (shopId: string, id: string) => ({ pk: `SHOP#${shopId}#OUTBOX#${id}`, sk: 'OUTBOX' }),
  shop: (shopId: string, createdAt = '', id = '') => ({
    pk: `SHOP#${shopId}#OUTBOX`,
    sk: `${createdAt}#${id}`,
  }),
  all: (createdAt = '', id = '') => ({ pk: 'OUTBOX', sk: `${createdAt}#${id}` }),
};

const FIELDS = [
  'id',
  'shopId',
  'channel',
  'to',
  'templateId',
  'locale',
  'from',
  'subject',
  'text',
  'html',
  'headers',
  'createdAt',
] as const satisfies ReadonlyArray<keyof OutboxEntry>;

function toEntry(item: Record<string, unknown>): OutboxEntry {
  return Object.fromEntries(FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, item[f]])) as never;
}

/** The local outbox on the table. */
export class DynamoOutbox implements OutboxStore {
  constructor(private readonly db: Db) {}

  async put(entry: OutboxEntry): Promise<boolean> {
    const expiresAt = Math.floor(Date.parse(entry.createdAt) / 1000) + KEEP_DAYS * 86_400;
    const item = { kind: 'outbox', ...entry, expiresAt };
    try {
      await this.db.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.db.table,
                Item: {
                  ...outboxKeys.marker(entry.shopId, entry.id),
                  kind: 'outbox-id',
                  createdAt: entry.createdAt,
                  expiresAt,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.db.table,
                Item: { ...item, ...outboxKeys.shop(entry.shopId, entry.createdAt, entry.id) },
              },
            },
            {
              Put: {
                TableName: this.db.table,
                Item: { ...item, ...outboxKeys.all(entry.createdAt, entry.id) },
              },
            },
          ],
        }),
      );
      return true;
    } catch (err) {
      if (
        err instanceof TransactionCanceledException &&
        err.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed'
      )
        return false;
      throw err;
    }
  }

  async list(options: { shopId?: string | undefined; limit: number }): Promise<OutboxEntry[]> {
    const limit = Math.min(Math.max(Math.trunc(options.limit), 1), MAX_LIST);
    const { pk } = options.shopId ? outboxKeys.shop(options.shopId) : outboxKeys.all();
    const result = await this.db.client.send(
      new QueryCommand({
        TableName: this.db.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (result.Items ?? []).map(toEntry);
  }
}

/**
 * The default channel: the message goes into the outbox instead of out, and counts as sent
 * (`providerMessageId` `outbox:<id>`). A notice put twice is stored once. Any channel's message
 * may come here (email, sms, webhook).
 */
export class OutboxChannelSender implements ChannelSender {
  constructor(
    private readonly outbox: OutboxStore,
    private readonly clock: Clock,
    private readonly options: { from?: string | undefined } = {},
  ) {}

  async send(message: OutgoingMessage): Promise<SendResult> {
    // The same obligations as a real send, so a missing subject or unsubscribe shows locally.
    if (message.channel === 'email') checkEmail(message, 'OutboxChannelSender');
    await this.outbox.put({
      id: message.id,
      shopId: message.shopId,
      channel: message.channel,
      to: message.to,
      templateId: message.templateId,
      locale: message.locale,
      ...(message.channel === 'email' && this.options.from && { from: this.options.from }),
      ...(message.subject !== undefined && { subject: message.subject }),
      text: message.text,
      ...(message.html !== undefined && { html: message.html }),
      ...(message.headers && Object.keys(message.headers).length && { headers: message.headers }),
      createdAt: this.clock.now(),
    });
    return { ok: true, providerMessageId: `outbox:${message.id}` };
  }
}

/** Staff alerts of a shop without chat groups: into the outbox as channel `staff`. */
export class OutboxStaffAlertSender implements StaffAlertSender {
  constructor(
    private readonly outbox: OutboxStore,
    private readonly clock: Clock,
  ) {}

  async send(alert: StaffAlert): Promise<SendResult> {
    await this.outbox.put({
      id: alert.id,
      shopId: alert.shopId,
      channel: 'staff',
      to: 'staff',
      templateId: alert.templateId,
      subject: alert.title,
      text: alert.url ? `${alert.text}\n${alert.url}` : alert.text,
      createdAt: this.clock.now(),
    });
    return { ok: true, providerMessageId: `outbox:${alert.id}` };
  }
}
