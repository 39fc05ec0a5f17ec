import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DeleteMessageBatchCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, inject } from 'vitest';
import { connectorFor } from '../../functions/adapters/connectors/index.ts';
import { documentClient } from '../../functions/adapters/dynamo/client.ts';
import { secretsOf } from '../../functions/adapters/secrets/index.ts';
import type { AppDeps } from '../../functions/app/ports.ts';
import { createDeps } from '../../functions/deps.ts';
import { type Config, readConfig } from '../../functions/lib/config.ts';
import { applyLocalEnv } from '../../infra/local/state.ts';
import type { QueueName } from '../../infra/topology.ts';

/** The test file's dependencies on the shared local services; set by useServices(). */
let shared: { deps: AppDeps; config: Config } | undefined;

/**
 * This test file's dependencies on the shared local services (DynamoDB Local and fauxqs): built
 * from the same validated config and the same adapters as a function's cold start, with clients
 * pointed at the services. Call at module level.
 */
export function useServices() {
  const services = inject('services');
  applyLocalEnv({
    dynamoEndpoint: services.dynamoEndpoint,
    sqsEndpoint: services.sqsEndpoint,
    tableName: services.tableName,
    queueUrls: services.queueUrls as Record<QueueName, string>,
    dlqUrls: services.dlqUrls as Record<QueueName, string>,
    jwtKey: 'integration-test-key-integration-test-key',
    customerKey: 'integration-customer-key-integration-customer',
  });
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const sqs = new SQSClient({
    endpoint: services.sqsEndpoint,
    region: 'us-east-1',
    credentials,
    useQueueUrlAsEndpoint: false,
  });
  const dynamo = documentClient(
    new DynamoDBClient({ endpoint: services.dynamoEndpoint, region: 'us-east-1', credentials }),
  );
  const config = readConfig(process.env, {
    queues: ['inbound', 'notifications', 'outbound'],
    deadLetters: ['inbound', 'notifications', 'outbound'],
    adminJwt: true,
    customerTokens: true,
  });
  const deps = createDeps(config, { dynamo, sqs, ...secretsOf(config), connectors: connectorFor });
  shared = { deps, config };
  // The files share one queue set and run one after another: what a file leaves queued (a webhook
  // it ingested and never processed) would be drained and processed by the next one. Leave none.
  afterAll(async () => {
    const urls = [...Object.values(services.queueUrls), ...Object.values(services.dlqUrls)];
    for (const url of urls) await purge(sqs, url as string);
  });
  return { services, sqs, deps, config, db: { client: dynamo, table: config.tableName } };
}

/** The dependencies and config useServices() made for this test file. */
export function testDeps(): { deps: AppDeps; config: Config } {
  if (!shared) throw new Error('call useServices() first');
  return shared;
}

const deps = () => testDeps().deps;

/** A fresh shop (unique id, so test files sharing the table never see each other's data). */
export async function freshShop(
  connectors: Record<string, { secret?: string; settings?: Record<string, string> }> = {},
) {
  const shopId = `it-${randomUUID().slice(0, 8)}`;
  const now = new Date().toISOString();
  await deps().shops.put({ shopId, name: 'Integration Shop' }, now);
  for (const [provider, c] of Object.entries(connectors)) {
    await deps().shops.setConnector(
      shopId,
      provider,
      { ...(c.secret && { secret: c.secret }), settings: c.settings ?? {} },
      now,
    );
  }
  return shopId;
}

/** Receives everything on a queue now (a few empty polls in a row end it) as Lambda SQS records. */
export async function drain(sqs: SQSClient, queueUrl: string, maxRounds = 50): Promise<SQSRecord[]> {
  const records: SQSRecord[] = [];
  let empty = 0;
  for (let round = 0; round < maxRounds && empty < 2; round++) {
    const got = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const messages = got.Messages ?? [];
    if (messages.length === 0) {
      empty++;
      continue;
    }
    empty = 0;
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
    for (const m of messages) {
      records.push({
        messageId: m.MessageId!,
        receiptHandle: m.ReceiptHandle!,
        body: m.Body ?? '',
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: '0',
          SenderId: 'it',
          ApproximateFirstReceiveTimestamp: '0',
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:it',
        awsRegion: 'us-east-1',
      });
    }
  }
  return records;
}

export async function purge(sqs: SQSClient, queueUrl: string) {
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
}
