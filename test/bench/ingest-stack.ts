import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { connectorFor } from '../../functions/adapters/connectors/index.ts';
import { secretsOf } from '../../functions/adapters/secrets/index.ts';
import type { AppDeps } from '../../functions/app/ports.ts';
import { createDeps } from '../../functions/deps.ts';
import { readConfig } from '../../functions/lib/config.ts';
import { ensureQueues, ensureTable } from '../../infra/local/bootstrap.ts';
import { startDynamo } from '../../infra/local/dynamodb.ts';
import { startHttp } from '../../infra/local/http.ts';
import { coldStart } from '../../infra/local/lambda.ts';
import { startSqs } from '../../infra/local/sqs.ts';
import {
  applyLocalEnv,
  LOCAL_REGION,
  LOCAL_TABLE,
  localJwtKey,
  localSecretsKey,
} from '../../infra/local/state.ts';

/** What the ingest bench needs of a stack: its URL, its endpoints and adapters to set a shop up. */
export interface IngestTarget {
  url: string;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  deps: AppDeps;
  stop(): Promise<void>;
}

/**
 * The local runtime's parts that serve a webhook (DynamoDB Local, fauxqs, the table and queues,
 * the same HTTP server invoking the same handler modules) without its queue pollers and schedules:
 * on Lambda the pipeline behind the queue runs elsewhere, not on the CPU answering the webhook.
 */
export async function startIngestOnly(dataDir: string): Promise<IngestTarget> {
  const [dynamo, sqs] = await Promise.all([startDynamo({}), startSqs({})]);
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamoClient = new DynamoDBClient({ endpoint: dynamo.endpoint, region: LOCAL_REGION, credentials });
  await ensureTable(dynamoClient, LOCAL_TABLE);
  dynamoClient.destroy();
  const sqsClient = new SQSClient({ endpoint: sqs.endpoint, region: LOCAL_REGION, credentials });
  const urls = await ensureQueues(sqsClient);
  sqsClient.destroy();
  applyLocalEnv({
    dynamoEndpoint: dynamo.endpoint,
    sqsEndpoint: sqs.endpoint,
    tableName: LOCAL_TABLE,
    queueUrls: urls.queue,
    dlqUrls: urls.dlq,
    jwtKey: localJwtKey(dataDir),
    secretsKey: localSecretsKey(dataDir),
  });
  const config = readConfig(process.env, { queues: ['inbound'] });
  const deps = createDeps(config, { ...secretsOf(config), connectors: connectorFor });
  coldStart();
  const http = await startHttp(0);
  return {
    url: http.url,
    dynamoEndpoint: dynamo.endpoint,
    sqsEndpoint: sqs.endpoint,
    deps,
    stop: async () => {
      await http.stop();
      await sqs.stop();
      await dynamo.stop();
    },
  };
}
