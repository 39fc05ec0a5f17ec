import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { InboundMessage, NotificationMessage } from '../../schemas/messages.ts';
import type { QueueName } from '../contract.ts';
import type { Effect } from '../core/engine/types.ts';
import { config } from '../lib/config.ts';

let shared: SQSClient | undefined;

/**
 * The endpoint comes from AWS_ENDPOINT_URL_SQS when set (the local runtime sets it). Requests go to
 * the configured endpoint rather than the queue URL's host: the same place on AWS, and the only
 * reachable one for an emulator whose queue URLs name `sqs.<region>.localhost`.
 */
export function sqsClient(): SQSClient {
  shared ??= new SQSClient({ useQueueUrlAsEndpoint: false });
  return shared;
}

export function resetSqsClient(): void {
  shared = undefined;
}

/** Sends messages in batches of ten; any entry SQS refuses makes the call throw (so SQS retries us). */
export async function sendMessages(queue: QueueName, bodies: unknown[]): Promise<void> {
  const url = config.queueUrl(queue);
  for (let i = 0; i < bodies.length; i += 10) {
    const chunk = bodies.slice(i, i + 10);
    const result = await sqsClient().send(
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

export function sendInbound(messages: InboundMessage[]): Promise<void> {
  return sendMessages('inbound', messages);
}

/** Publishes what applying an event asked for: notices to the notifications queue, events back inbound. */
export async function publishEffects(shopId: string, effects: Effect[], now: string): Promise<void> {
  const notices: NotificationMessage[] = [];
  const events: InboundMessage[] = [];
  for (const effect of effects) {
    if (effect.kind === 'notify') {
      const { kind: _kind, ...notice } = effect;
      notices.push({ shopId, ...notice, plannedAt: now });
    } else if (effect.kind === 'emit') {
      events.push({ kind: 'event', shopId, event: effect.event });
    }
  }
  await Promise.all([
    notices.length ? sendMessages('notifications', notices) : undefined,
    events.length ? sendInbound(events) : undefined,
  ]);
}
