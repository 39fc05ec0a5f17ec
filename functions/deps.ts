import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { connectorFor } from './adapters/connectors/index.ts';
import { documentClient } from './adapters/dynamo/client.ts';
import { DynamoEventStore } from './adapters/dynamo/event-store.ts';
import { DynamoInbox } from './adapters/dynamo/inbox.ts';
import { DynamoNoticeLog } from './adapters/dynamo/notices.ts';
import { DynamoOutboundLog } from './adapters/dynamo/outbound-log.ts';
import { DynamoPolicies } from './adapters/dynamo/policies.ts';
import { DynamoRateLimiter } from './adapters/dynamo/rate-limits.ts';
import { DynamoShops } from './adapters/dynamo/shops.ts';
import { DynamoTimers } from './adapters/dynamo/timers.ts';
import { DynamoReads } from './adapters/dynamo/views.ts';
import { HttpOutboundSender } from './adapters/outbound-http.ts';
import { SqsDeadLetters, SqsQueues, sqsClient } from './adapters/sqs.ts';
import { SqsRedelivery } from './adapters/sqs-redelivery.ts';
import type { AppDeps, Clock } from './app/ports.ts';
import type { Config } from './lib/config.ts';

export const systemClock: Clock = { now: () => new Date().toISOString() };

/**
 * The composition root: the adapters every use case is given, built once per function instance
 * from its validated configuration. The local runtime and the tests build theirs the same way
 * (with their own clients where they need them), instead of resetting module singletons.
 */
export function createDeps(
  config: Config,
  clients: { dynamo?: DynamoDBDocumentClient; sqs?: SQSClient } = {},
): AppDeps {
  const db = { client: clients.dynamo ?? documentClient(), table: config.tableName };
  const sqs = clients.sqs ?? sqsClient();
  return {
    events: new DynamoEventStore(db),
    inbox: new DynamoInbox(db),
    shops: new DynamoShops(db),
    reads: new DynamoReads(db),
    timers: new DynamoTimers(db),
    notices: new DynamoNoticeLog(db),
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
