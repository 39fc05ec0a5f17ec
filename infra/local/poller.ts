import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { QueueSpec } from '../topology.ts';
import { invoke } from './lambda.ts';

export interface PollerOptions {
  client: SQSClient;
  spec: QueueSpec;
  queueUrl: string;
  queueArn: string;
  /** Concurrent batches (the event source's maximum concurrency, capped for a laptop). */
  concurrency: number;
  /**
   * Seconds a failed message stays invisible before its next delivery. Unset: the queue's own
   * visibility timeout, exactly as with a Lambda event source. Tests shorten it.
   */
  retryDelaySeconds?: number;
  onError?: (err: unknown) => void;
}

function toRecord(message: Message, arn: string): SQSRecord {
  const a = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
      SentTimestamp: a.SentTimestamp ?? String(Date.now()),
      SenderId: a.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: arn,
    awsRegion: arn.split(':')[3] ?? 'us-east-1',
  };
}

/**
 * What the Lambda SQS event source does: long-poll, invoke the consumer with a batch, delete only
 * the records not named in `batchItemFailures` (all stay when the invocation throws). Failed
 * records reappear after the visibility timeout and reach the DLQ through the queue's redrive policy.
 */
export function startPoller(options: PollerOptions): { stop(): Promise<void> } {
  let running = true;
  const { client, spec, queueUrl } = options;

  async function pollOnce(): Promise<void> {
    const received = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: spec.batchSize,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const messages = received.Messages ?? [];
    if (messages.length === 0) return;
    const event: SQSEvent = { Records: messages.map((m) => toRecord(m, options.queueArn)) };
    let failed: Set<string>;
    try {
      const result = (await invoke(spec.consumer, event)) as SQSBatchResponse | undefined;
      failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (err) {
      options.onError?.(err);
      failed = new Set(messages.map((m) => m.MessageId!));
    }
    const done = messages.filter((m) => !failed.has(m.MessageId!));
    if (done.length) {
      await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
    const retry = messages.filter((m) => failed.has(m.MessageId!));
    if (retry.length && options.retryDelaySeconds !== undefined) {
      await client.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: retry.map((m, i) => ({
            Id: String(i),
            ReceiptHandle: m.ReceiptHandle!,
            VisibilityTimeout: options.retryDelaySeconds,
          })),
        }),
      );
    }
  }

  const loops = Array.from({ length: options.concurrency }, async () => {
    while (running) {
      try {
        await pollOnce();
      } catch (err) {
        options.onError?.(err);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  });

  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}
