import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { type QueueName, queues, table } from '../topology.ts';

const projectionOf = (index: (typeof table.indexes)[number]) =>
  index.projection === 'all'
    ? { ProjectionType: 'ALL' as const }
    : index.projection.length === 0
      ? { ProjectionType: 'KEYS_ONLY' as const }
      : { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: index.projection };

/**
 * Creates the table exactly as the topology describes it, if it is not there yet; a table made by
 * an earlier version (kept in `.data/`) gets the indexes added since, one at a time as DynamoDB
 * allows.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    const found = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const have = new Set((found.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
    for (const index of table.indexes.filter((i) => !have.has(i.name))) {
      await client.send(
        new UpdateTableCommand({
          TableName: tableName,
          AttributeDefinitions: [
            { AttributeName: `${index.name}Pk`, AttributeType: 'S' },
            { AttributeName: `${index.name}Sk`, AttributeType: 'S' },
          ],
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: index.name,
                KeySchema: [
                  { AttributeName: `${index.name}Pk`, KeyType: 'HASH' },
                  { AttributeName: `${index.name}Sk`, KeyType: 'RANGE' },
                ],
                Projection: projectionOf(index),
              },
            },
          ],
        }),
      );
    }
    return;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  const attributes = new Set<string>([table.partitionKey, table.sortKey]);
  for (const index of table.indexes) {
    attributes.add(`${index.name}Pk`);
    attributes.add(`${index.name}Sk`);
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attributes].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: table.partitionKey, KeyType: 'HASH' },
        { AttributeName: table.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: table.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: `${index.name}Pk`, KeyType: 'HASH' },
          { AttributeName: `${index.name}Sk`, KeyType: 'RANGE' },
        ],
        Projection: projectionOf(index),
      })),
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
    }),
  );
}

export interface QueueUrls {
  queue: Record<QueueName, string>;
  dlq: Record<QueueName, string>;
}

export const dlqName = (queue: QueueName, prefix: string) => `${prefix}${queue}-dlq`;

/** Creates every queue and its DLQ with the topology's attributes (idempotent, as CreateQueue is). */
export async function ensureQueues(client: SQSClient, prefix = 'aftersale-'): Promise<QueueUrls> {
  const urls = { queue: {}, dlq: {} } as QueueUrls;
  for (const spec of queues) {
    const dlq = await client.send(
      new CreateQueueCommand({
        QueueName: dlqName(spec.name, prefix),
        Attributes: { MessageRetentionPeriod: String(14 * 86_400) },
      }),
    );
    const dlqAttributes = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    const created = await client.send(
      new CreateQueueCommand({
        QueueName: `${prefix}${spec.name}`,
        Attributes: {
          VisibilityTimeout: String(spec.visibilityTimeoutSeconds),
          MessageRetentionPeriod: String(spec.retentionDays * 86_400),
          RedrivePolicy: JSON.stringify({
            deadLetterTargetArn: dlqAttributes.Attributes?.QueueArn,
            maxReceiveCount: spec.maxReceiveCount,
          }),
        },
      }),
    );
    urls.queue[spec.name] = created.QueueUrl!;
    urls.dlq[spec.name] = dlq.QueueUrl!;
  }
  return urls;
}
