import { ChangeMessageVisibilityCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Redelivery } from '../app/ports.ts';

/**
 * Backoff for a failed SQS record: its visibility is set to the delay, so the event source hands
 * it out again no sooner (a record reported in `batchItemFailures` is otherwise seen again after
 * the queue's visibility timeout). The consumer's event source grants ChangeMessageVisibility and
 * GetQueueUrl on its queue, so no binding is needed: the URL is looked up once per queue ARN.
 */
export class SqsRedelivery implements Redelivery {
  private readonly urls = new Map<string, Promise<string>>();

  constructor(private readonly client: SQSClient) {}

  async delay(message: { queueArn: string; receiptHandle: string }, seconds: number): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: await this.urlOf(message.queueArn),
        ReceiptHandle: message.receiptHandle,
        // SQS allows 0 to 12 hours.
        VisibilityTimeout: Math.max(0, Math.min(43_200, Math.round(seconds))),
      }),
    );
  }

  private urlOf(queueArn: string): Promise<string> {
    let url = this.urls.get(queueArn);
    if (!url) {
      // arn:aws:sqs:<region>:<account>:<name>
      const [, , , , account, name] = queueArn.split(':');
      if (!name) throw new Error(`not an SQS queue ARN: ${queueArn}`);
      url = this.client
        .send(
          new GetQueueUrlCommand({ QueueName: name, ...(account && { QueueOwnerAWSAccountId: account }) }),
        )
        .then((r) => r.QueueUrl ?? Promise.reject(new Error(`no URL for queue ${name}`)));
      // A failed look-up is tried again next time rather than remembered.
      url.catch(() => this.urls.delete(queueArn));
      this.urls.set(queueArn, url);
    }
    return url;
  }
}
