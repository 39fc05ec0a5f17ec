import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { TestProject } from 'vitest/node';
import { ensureQueues, ensureTable } from '../../infra/local/bootstrap.ts';
import { startDynamo } from '../../infra/local/dynamodb.ts';
import { startSqs } from '../../infra/local/sqs.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    services: {
      dynamoEndpoint: string;
      sqsEndpoint: string;
      tableName: string;
      queueUrls: Record<string, string>;
      dlqUrls: Record<string, string>;
    };
  }
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Real DynamoDB Local (in memory) and fauxqs, started once for the whole integration run. */
export default async function setup(project: TestProject) {
  const [dynamo, sqs] = await Promise.all([startDynamo(), startSqs()]);
  const tableName = 'aftersale-it';
  const ddb = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials });
  await ensureTable(ddb, tableName);
  ddb.destroy();
  const sqsClient = new SQSClient({ endpoint: sqs.endpoint, region: 'us-east-1', credentials });
  const urls = await ensureQueues(sqsClient, 'it-');
  sqsClient.destroy();
  project.provide('services', {
    dynamoEndpoint: dynamo.endpoint,
    sqsEndpoint: sqs.endpoint,
    tableName,
    queueUrls: urls.queue,
    dlqUrls: urls.dlq,
  });
  return async () => {
    await sqs.stop();
    await dynamo.stop();
  };
}
