import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { secretsOf } from '../../functions/adapters/secrets/index.ts';
import type { AppDeps } from '../../functions/app/ports.ts';
import { createDeps } from '../../functions/deps.ts';
import { readConfig } from '../../functions/lib/config.ts';
import { type QueueName, queues, schedules } from '../topology.ts';
import { ensureQueues, ensureTable } from './bootstrap.ts';
import { startDynamo } from './dynamodb.ts';
import { startHttp } from './http.ts';
import { coldStart } from './lambda.ts';
import { startPoller } from './poller.ts';
import { portIsFree } from './ports.ts';
import { startSchedules } from './scheduler.ts';
import { startSqs } from './sqs.ts';
import {
  applyLocalEnv,
  clearRuntimeInfo,
  LOCAL_REGION,
  LOCAL_TABLE,
  localCustomerKey,
  localJwtKey,
  localSecretsKey,
  type RuntimeInfo,
  writeRuntimeInfo,
} from './state.ts';

export interface LocalRuntimeOptions {
  /** Data directory (DynamoDB files, JWT key, runtime.json). */
  dataDir: string;
  /** Keep DynamoDB in memory (tests); the data directory still holds the key and runtime.json. */
  inMemory?: boolean;
  /** HTTP port; 0 picks a free one. */
  port: number;
  /** The admin page's origin, allowed by CORS as the stack's `adminOrigin` is; none: no CORS. */
  adminOrigin?: string;
  /** Shorter redelivery of failed messages (tests); default: the queue's visibility timeout. */
  retryDelaySeconds?: number;
  /** Override schedule intervals (tests). */
  scheduleIntervalMs?: number;
  /** Where customers reach this server (links in messages); default: its own URL. */
  publicUrl?: string | undefined;
  log?: (line: string) => void;
}

export interface LocalRuntime extends RuntimeInfo {
  jwtKey: string;
  /** The adapters on this runtime's table and queues, for setting it up (shops, connectors). */
  deps: AppDeps;
  stop(): Promise<void>;
}

/**
 * Runs the whole topology on this machine: DynamoDB Local and fauxqs, the table and queues as the
 * topology declares them, the HTTP routes, the queue pollers and the schedules, all invoking the
 * very handler modules that Lambda runs.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const log = options.log ?? (() => undefined);
  // Fail before starting Java when the port is taken, with a hint instead of a stack.
  if (options.port !== 0 && !(await portIsFree(options.port))) {
    throw new Error(`port ${options.port} is in use; stop what uses it or start with PORT=<another port>`);
  }
  const started: Array<() => Promise<void>> = [];
  try {
    return await start(options, log, started);
  } catch (err) {
    // Whatever did start (Java above all) must not outlive a failed start.
    for (const stop of started.reverse()) await stop().catch(() => undefined);
    throw err;
  }
}

async function start(
  options: LocalRuntimeOptions,
  log: (line: string) => void,
  started: Array<() => Promise<void>>,
): Promise<LocalRuntime> {
  const [dynamo, sqs] = await Promise.all([
    startDynamo(options.inMemory ? {} : { dataDir: join(options.dataDir, 'dynamodb') }).then((d) => {
      started.push(d.stop);
      return d;
    }),
    startSqs(options.inMemory ? {} : { dataDir: join(options.dataDir, 'sqs') }).then((q) => {
      started.push(q.stop);
      return q;
    }),
  ]);
  const jwtKey = localJwtKey(options.dataDir);
  const customerKey = localCustomerKey(options.dataDir);
  const sqsClient = new SQSClient({
    endpoint: sqs.endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const dynamoClient = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(dynamoClient, LOCAL_TABLE);
  dynamoClient.destroy();
  const urls = await ensureQueues(sqsClient);

  applyLocalEnv({
    dynamoEndpoint: dynamo.endpoint,
    sqsEndpoint: sqs.endpoint,
    tableName: LOCAL_TABLE,
    queueUrls: urls.queue,
    dlqUrls: urls.dlq,
    jwtKey,
    customerKey,
    secretsKey: localSecretsKey(options.dataDir),
  });
  // What the runtime itself does with the table and queues goes through the same adapters.
  const config = readConfig(process.env, { queues: ['inbound', 'notifications'] });
  const deps = createDeps(config, secretsOf(config));
  coldStart();

  const http = await startHttp(options.port, {
    ...(options.adminOrigin && { adminOrigin: options.adminOrigin }),
  });
  started.push(http.stop);
  // Links in messages (the portal, unsubscribe, the admin page) point at this server, unless it is
  // reachable at another address (a tunnel): `publicUrl`.
  process.env.PUBLIC_URL = options.publicUrl ?? http.url;

  const onError = (err: unknown) => log(`[local] ${err instanceof Error ? err.message : String(err)}`);
  const pollers: Array<{ stop(): Promise<void> }> = [];
  for (const spec of queues) {
    const attributes = await sqsClient.send(
      new GetQueueAttributesCommand({ QueueUrl: urls.queue[spec.name], AttributeNames: ['QueueArn'] }),
    );
    pollers.push(
      startPoller({
        client: sqsClient,
        spec,
        queueUrl: urls.queue[spec.name],
        queueArn: attributes.Attributes?.QueueArn ?? `arn:aws:sqs:${LOCAL_REGION}:000000000000:${spec.name}`,
        concurrency: Math.min(spec.maxConcurrency, 2),
        ...(options.retryDelaySeconds !== undefined && { retryDelaySeconds: options.retryDelaySeconds }),
        onError,
      }),
    );
  }
  const scheduler = startSchedules(schedules, {
    ...(options.scheduleIntervalMs && { intervalMsFor: () => options.scheduleIntervalMs! }),
    onError,
  });
  started.push(() => Promise.all(pollers.map((p) => p.stop())).then(() => undefined), scheduler.stop);

  // In-memory queues lose their messages with the process: what was waiting is enqueued again.
  // Persistent ones (the default) still hold them; the sweep covers any message lost all the same.
  if (!sqs.persistent) {
    const requeued = await requeueReceived(deps);
    if (requeued) log(`[local] re-enqueued ${requeued} inbox item(s) left from the last run`);
  }

  const info: RuntimeInfo = {
    pid: process.pid,
    url: http.url,
    dynamoEndpoint: dynamo.endpoint,
    sqsEndpoint: sqs.endpoint,
    tableName: LOCAL_TABLE,
    queueUrls: urls.queue as Record<QueueName, string>,
    dlqUrls: urls.dlq as Record<QueueName, string>,
  };
  writeRuntimeInfo(options.dataDir, info);

  let stopping: Promise<void> | undefined;
  return {
    ...info,
    jwtKey,
    deps,
    stop: () => {
      stopping ??= (async () => {
        await http.stop(); // no new requests; in-flight ones finish
        await scheduler.stop();
        await Promise.all(pollers.map((p) => p.stop())); // batches in flight finish
        sqsClient.destroy();
        await sqs.stop();
        await dynamo.stop();
        clearRuntimeInfo(options.dataDir);
      })();
      return stopping;
    },
  };
}

async function requeueReceived(deps: AppDeps): Promise<number> {
  let count = 0;
  for (const shopId of await deps.shops.listIds()) {
    let cursor: string | undefined;
    do {
      const page = await deps.inbox.list(shopId, 'received', { limit: 100, ...(cursor && { cursor }) });
      if (page.items.length)
        await deps.queues.sendInbound(
          page.items.map((i) => ({ kind: 'inbox' as const, shopId, inboxId: i.inboxId })),
        );
      count += page.items.length;
      cursor = page.next;
    } while (cursor);
  }
  return count;
}
