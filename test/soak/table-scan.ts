import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  ChangeMessageVisibilityCommand,
  ReceiveMessageCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { LOCAL_REGION, type RuntimeInfo } from '../../infra/local/state.ts';
import { type QueueName, queues } from '../../infra/topology.ts';
import { type QueueDepth, queueDepth } from '../support/queue-depth.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface Snapshot {
  inbox: Array<{
    inboxId: string;
    provider: string;
    dedupeKey: string;
    status: string;
    error?: string;
    eventIds?: string[];
    attempts: number;
  }>;
  /** `<kind>#<id>` -> the aggregate's state. */
  aggregates: Map<string, unknown>;
  notices: Array<{
    id: string;
    template: string;
    status: string;
    startedAt?: string;
    reason?: string;
    orderId?: string;
    attempts?: number;
  }>;
  /** Outbox entry ids (one marker per entry). */
  outbox: string[];
}

/**
 * The soak shop's items, read once by Scan (a test reading everything it wrote; the product
 * itself never scans). The inbox bodies are left out of the projection.
 */
export async function scanShop(info: RuntimeInfo, shopId: string): Promise<Snapshot> {
  const base = new DynamoDBClient({ endpoint: info.dynamoEndpoint, region: LOCAL_REGION, credentials });
  const dynamo = DynamoDBDocumentClient.from(base);
  const snapshot: Snapshot = { inbox: [], aggregates: new Map(), notices: [], outbox: [] };
  const prefix = `SHOP#${shopId}#`;
  let start: Record<string, unknown> | undefined;
  try {
    do {
      const page = await dynamo.send(
        new ScanCommand({
          TableName: info.tableName,
          ProjectionExpression:
            'pk, sk, kind, id, #data, #status, #error, provider, dedupeKey, inboxId, eventIds, attempts, template, reason, orderId, startedAt',
          ExpressionAttributeNames: { '#data': 'data', '#status': 'status', '#error': 'error' },
          ...(start && { ExclusiveStartKey: start }),
        }),
      );
      for (const item of page.Items ?? []) {
        const pk = String(item.pk);
        const sk = String(item.sk);
        if (!pk.startsWith(prefix)) continue;
        if (sk === 'IN' && item.kind === 'inbox') {
          snapshot.inbox.push(item as never);
        } else if (
          ['order', 'shipment', 'customer', 'case'].includes(String(item.kind)) &&
          !sk.includes('#')
        ) {
          snapshot.aggregates.set(`${item.kind}#${item.id}`, item.data);
        } else if (sk.startsWith('NOTE#')) {
          snapshot.notices.push({ ...(item as Snapshot['notices'][number]), id: sk.slice('NOTE#'.length) });
        } else if (sk === 'OUTBOX' && item.kind === 'outbox-id') {
          snapshot.outbox.push(pk.slice(`${prefix}OUTBOX#`.length));
        }
      }
      start = page.LastEvaluatedKey as typeof start;
    } while (start);
  } finally {
    base.destroy();
  }
  return snapshot;
}

export type Depths = Record<string, QueueDepth>;

/** Every queue's and DLQ's depth, as SQS approximates it. */
export async function queueDepths(info: RuntimeInfo): Promise<Depths> {
  const sqs = new SQSClient({ endpoint: info.sqsEndpoint, region: LOCAL_REGION, credentials });
  const out: Depths = {};
  try {
    const all = [
      ...Object.entries(info.queueUrls),
      ...Object.entries(info.dlqUrls).map(([q, url]) => [`${q}-dlq`, url] as const),
    ];
    for (const [name, url] of all) {
      out[name] = await queueDepth(sqs, url);
    }
  } finally {
    sqs.destroy();
  }
  return out;
}

export const mainQueues = (depths: Depths): Array<[QueueName, Depths[string]]> =>
  Object.entries(depths).filter(([name]) => !name.endsWith('-dlq')) as Array<[QueueName, Depths[string]]>;

/**
 * The bodies of every message in a DLQ, left where they are: each is received (hidden for 2 minutes
 * so one pass sees each once) and made visible again at once, so a redrive right after moves it.
 */
export async function deadLetterBodies(info: RuntimeInfo, queue: QueueName): Promise<string[]> {
  const sqs = new SQSClient({ endpoint: info.sqsEndpoint, region: LOCAL_REGION, credentials });
  const url = info.dlqUrls[queue];
  const bodies = new Map<string, string>();
  // The latest receipt handle per message: an earlier one stops being valid when it is received again.
  const handles = new Map<string, string>();
  try {
    for (let empty = 0; empty < 2; ) {
      const got = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 120,
          WaitTimeSeconds: 0,
        }),
      );
      const messages = got.Messages ?? [];
      if (messages.length === 0) empty++;
      for (const m of messages) {
        bodies.set(m.MessageId!, m.Body ?? '');
        handles.set(m.MessageId!, m.ReceiptHandle!);
      }
    }
    for (const handle of handles.values())
      await sqs
        .send(
          new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 0 }),
        )
        // Visible again already (its hiding ran out): nothing to undo.
        .catch(() => undefined);
  } finally {
    sqs.destroy();
  }
  return [...bodies.values()];
}

/**
 * Puts the queues' visibility timeout back to the topology's, before the runtime is stopped or
 * killed in smoke mode: the next start creates the queues again (CreateQueue), which refuses
 * attributes that differ from the existing queue's.
 */
export async function restoreVisibility(info: RuntimeInfo): Promise<void> {
  const sqs = new SQSClient({ endpoint: info.sqsEndpoint, region: LOCAL_REGION, credentials });
  try {
    for (const spec of queues)
      await sqs.send(
        new SetQueueAttributesCommand({
          QueueUrl: info.queueUrls[spec.name],
          Attributes: { VisibilityTimeout: String(spec.visibilityTimeoutSeconds) },
        }),
      );
  } finally {
    sqs.destroy();
  }
}
