import type { KMSClient } from '@aws-sdk/client-kms';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { channelFor, DynamoOutbox } from './adapters/channels/index.ts';
import { connectorFor } from './adapters/connectors/index.ts';
import { documentClient } from './adapters/dynamo/client.ts';
import { DynamoEventStore } from './adapters/dynamo/event-store.ts';
import { DynamoInbox } from './adapters/dynamo/inbox.ts';
import { DynamoNoticeLog } from './adapters/dynamo/notices.ts';
import { DynamoOutboundLog } from './adapters/dynamo/outbound-log.ts';
import { DynamoOutreachLedger } from './adapters/dynamo/outreach.ts';
import { DynamoPolicies } from './adapters/dynamo/policies.ts';
import { DynamoRateLimiter } from './adapters/dynamo/rate-limits.ts';
import { DynamoShops } from './adapters/dynamo/shops.ts';
import { DynamoTimers } from './adapters/dynamo/timers.ts';
import { DynamoReads } from './adapters/dynamo/views.ts';
import { HttpOutboundSender } from './adapters/outbound-http.ts';
import { secretsCipherFor } from './adapters/secrets/index.ts';
import { SqsDeadLetters, SqsQueues, sqsClient } from './adapters/sqs.ts';
import { SqsRedelivery } from './adapters/sqs-redelivery.ts';
import { channelSecretsOf, type ShopChannels } from './app/channels.ts';
import type { AppDeps, Clock, ShopWithConnectors } from './app/ports.ts';
import type { Config } from './lib/config.ts';

export const systemClock: Clock = { now: () => new Date().toISOString() };

/**
 * The composition root: the adapters every use case is given, built once per function instance
 * from its validated configuration. The local runtime and the tests build theirs the same way
 * (with their own clients where they need them), instead of resetting module singletons.
 */
export function createDeps(
  config: Config,
  clients: { dynamo?: DynamoDBDocumentClient; sqs?: SQSClient; kms?: KMSClient } = {},
): AppDeps {
  const db = { client: clients.dynamo ?? documentClient(), table: config.tableName };
  const sqs = clients.sqs ?? sqsClient();
  // Only functions given the secrets key open connector and channel secrets (and the CLI).
  const cipher =
    config.secretsKey && secretsCipherFor(config.secretsKey, { ...(clients.kms && { kms: clients.kms }) });
  return {
    events: new DynamoEventStore(db),
    inbox: new DynamoInbox(db),
    shops: new DynamoShops(db, cipher),
    reads: new DynamoReads(db),
    timers: new DynamoTimers(db),
    notices: new DynamoNoticeLog(db),
    outreach: new DynamoOutreachLedger(db),
    outbox: new DynamoOutbox(db),
    queues: new SqsQueues(sqs, config.queueUrls),
    outbound: new HttpOutboundSender(),
    outboundLog: new DynamoOutboundLog(db),
    redelivery: new SqsRedelivery(sqs),
    policies: new DynamoPolicies(db),
    rateLimiter: new DynamoRateLimiter(db),
    ...(Object.keys(config.deadLetterUrls).length && {
      deadLetters: new SqsDeadLetters(sqs, { queue: config.queueUrls, dlq: config.deadLetterUrls }),
    }),
    connectors: connectorFor,
    clock: systemClock,
  };
}

/**
 * A shop's channels, from its notification settings and its channel secrets, on the clients the
 * function instance holds (SES and SNS only where the function sends through them).
 */
export function shopChannels(
  deps: Pick<AppDeps, 'clock' | 'outbox'>,
  clients: { ses?: SESv2Client; sns?: SNSClient } = {},
): (shop: ShopWithConnectors) => ShopChannels {
  return ({ shop, connectors }) =>
    channelFor(
      shop.notifications,
      {
        clock: deps.clock,
        outbox: deps.outbox,
        ...(clients.ses && { ses: clients.ses }),
        ...(clients.sns && { sns: clients.sns }),
      },
      channelSecretsOf(connectors),
    );
}
