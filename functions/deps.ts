import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoOutbox } from './adapters/channels/outbox.ts';
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
import type { SecretsCipher } from './adapters/secrets/cipher.ts';
import { SqsDeadLetters, SqsQueues, sqsClient } from './adapters/sqs.ts';
import { SqsRedelivery } from './adapters/sqs-redelivery.ts';
import type { AppDeps, Clock } from './app/ports.ts';
import type { Config } from './lib/config.ts';

export const systemClock: Clock = { now: () => new Date().toISOString() };

/** The connectors of a function that was not given them: asking for one is a wiring mistake. */
const noConnectors: AppDeps['connectors'] = (provider) => {
  throw new TypeError(`createDeps: this function was not given the connectors (asked for ${provider})`);
};

/**
 * The composition root: the adapters every use case is given, built once per function instance
 * from its validated configuration. The local runtime and the tests build theirs the same way
 * (with their own clients where they need them), instead of resetting module singletons.
 *
 * It imports only what every function needs. The secrets cipher (and the KMS client behind it) is
 * handed in by the functions that hold the secrets key (`secretsOf` in adapters/secrets/index.ts),
 * the providers' connectors by the functions that verify or parse webhooks (`connectorFor` in
 * adapters/connectors/index.ts), and the channels by send-notification (`shopChannels` in
 * adapters/channels/index.ts): the others' bundles then carry neither KMS nor SES, SNS, nodemailer and the
 * notification texts (docs/PERFORMANCE.md measured what importing everything everywhere cost).
 */
export function createDeps(
  config: Config,
  clients: {
    dynamo?: DynamoDBDocumentClient;
    sqs?: SQSClient;
    cipher?: SecretsCipher;
    connectors?: AppDeps['connectors'];
  } = {},
): AppDeps {
  const db = { client: clients.dynamo ?? documentClient(), table: config.tableName };
  const sqs = clients.sqs ?? sqsClient();
  // Without a cipher, sealed connector and channel secrets stay sealed: a use that needs one fails
  // with SecretsKeyMissingError (adapters/dynamo/shops.ts), as on AWS without kms:Decrypt.
  const cipher = clients.cipher;
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
    connectors: clients.connectors ?? noConnectors,
    clock: systemClock,
  };
}
