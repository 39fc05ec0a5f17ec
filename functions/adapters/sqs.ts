import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { InboundMessage, NotificationMessage, OutboundMessage } from '../../schemas/messages.ts';
import type { DeadLetterMessage, DeadLetters, Queues } from '../app/ports.ts';
import type { QueueName } from '../contract.ts';

/**
 * An SQS client. The endpoint comes from AWS_ENDPOINT_URL_SQS when set (the local runtime sets it).
 * Requests go to the configured endpoint rather than the queue URL's host: the same place on AWS,
 * and the only reachable one for an emulator whose queue URLs name `sqs.<region>.localhost`.
 */
export function sqsClient(): SQSClient {
  return new SQSClient({ useQueueUrlAsEndpoint: false });
}

/** Queue URLs by queue; a function is given only the ones it may send to. */
export type QueueUrls = Partial<Record<QueueName, string>>;

/**
 * Sends to the queues (batches of ten); any entry SQS refuses makes the call throw, so we are
 * retried. A single message (every webhook's one reference) goes as a plain SendMessage: a batch
 * of one costs the same request but more to build, sign and answer (docs/PERFORMANCE.md, ingest).
 */
export class SqsQueues implements Queues {
  constructor(
    private readonly client: SQSClient,
    private readonly urls: QueueUrls,
  ) {}

  sendInbound(messages: InboundMessage[]): Promise<void> {
    return this.send('inbound', messages);
  }

  sendNotifications(messages: NotificationMessage[]): Promise<void> {
    return this.send('notifications', messages);
  }

  sendOutbound(messages: OutboundMessage[]): Promise<void> {
    return this.send('outbound', messages);
  }

  private async send(queue: QueueName, bodies: unknown[]): Promise<void> {
    if (bodies.length === 0) return;
    const url = this.urls[queue];
    if (!url) throw new Error(`this function has no URL for the ${queue} queue (is it bound to it?)`);
    if (bodies.length === 1) {
      await this.client.send(
        new SendMessageCommand({ QueueUrl: url, MessageBody: JSON.stringify(bodies[0]) }),
      );
      return;
    }
    for (let i = 0; i < bodies.length; i += 10) {
      const chunk = bodies.slice(i, i + 10);
      const result = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: chunk.map((body, j) => ({ Id: String(j), MessageBody: JSON.stringify(body) })),
        }),
      );
      if (result.Failed?.length) {
        throw new Error(
          `SQS refused ${result.Failed.length} message(s) to ${queue}: ${result.Failed[0]?.Message}`,
        );
      }
    }
  }
}

/** The DLQs behind the queues: how deep, a peek, and a redrive back to the source queue. */
export class SqsDeadLetters implements DeadLetters {
  constructor(
    private readonly client: SQSClient,
    private readonly urls: { queue: QueueUrls; dlq: QueueUrls },
  ) {}

  private url(kind: 'queue' | 'dlq', queue: QueueName): string {
    const url = this.urls[kind][queue];
    if (!url) throw new Error(`no URL for the ${queue} ${kind === 'dlq' ? 'dead-letter queue' : 'queue'}`);
    return url;
  }

  async depth(queue: QueueName): Promise<number> {
    const attrs = await this.client.send(
      new GetQueueAttributesCommand({
        QueueUrl: this.url('dlq', queue),
        AttributeNames: ['ApproximateNumberOfMessages'],
      }),
    );
    return Number(attrs.Attributes?.ApproximateNumberOfMessages ?? 0);
  }

  async peek(
    queue: QueueName,
    max: number,
    belongs?: (body: string) => boolean,
  ): Promise<DeadLetterMessage[]> {
    const found = new Map<string, DeadLetterMessage>();
    // Visibility 0 leaves them where they are. With a filter a few reads look a little further
    // (SQS hands out a sample each time), still leaving every message in place.
    for (let round = 0; round < (belongs ? 5 : 1) && found.size < max; round++) {
      const got = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.url('dlq', queue),
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 0,
        }),
      );
      for (const m of got.Messages ?? []) {
        if (belongs && !belongs(m.Body ?? '')) continue;
        found.set(m.MessageId ?? '', { messageId: m.MessageId ?? '', body: m.Body ?? '' });
      }
      if (!got.Messages?.length) break;
    }
    return [...found.values()].slice(0, max);
  }

  async redrive(queue: QueueName, belongs?: (body: string) => boolean): Promise<number> {
    const dlq = this.url('dlq', queue);
    const target = this.url('queue', queue);
    let moved = 0;
    const passedOver = new Set<string>();
    for (;;) {
      const batch = await this.client.send(
        new ReceiveMessageCommand({ QueueUrl: dlq, MaxNumberOfMessages: 10, VisibilityTimeout: 30 }),
      );
      const messages = batch.Messages ?? [];
      const mine = messages.filter((m) => !belongs || belongs(m.Body ?? ''));
      const others = messages.filter((m) => !mine.includes(m));
      // Another shop's messages go back at once, untouched; once only those come back, it is done.
      if (others.length) {
        await this.client.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: dlq,
            Entries: others.map((m, i) => ({
              Id: String(i),
              ReceiptHandle: m.ReceiptHandle!,
              VisibilityTimeout: 0,
            })),
          }),
        );
      }
      const fresh = others.filter((m) => !passedOver.has(m.MessageId ?? ''));
      for (const m of others) passedOver.add(m.MessageId ?? '');
      if (mine.length === 0 && fresh.length === 0) return moved;
      if (mine.length === 0) continue;
      // Sent first, deleted after: a crash in between repeats a message, which the workers tolerate.
      const sent = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: target,
          Entries: mine.map((m, i) => ({ Id: String(i), MessageBody: m.Body ?? '' })),
        }),
      );
      const failed = new Set((sent.Failed ?? []).map((f) => f.Id));
      const done = mine.map((m, i) => ({ m, id: String(i) })).filter(({ id }) => !failed.has(id));
      if (done.length) {
        await this.client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: dlq,
            Entries: done.map(({ m, id }) => ({ Id: id, ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
      }
      moved += done.length;
      if (failed.size) throw new Error(`SQS refused ${failed.size} message(s) moving back to ${queue}`);
    }
  }
}
