import { OutboundMessage } from '../../schemas/messages.ts';
import {
  type DeliverDeps,
  OutboundNotDeliveredError,
  outboundDeliverer,
  retryDelaySeconds,
} from '../app/deliver-outbound.ts';
import type { AppDeps } from '../app/ports.ts';
import { receiveCountOf, sqsBatchHandler } from '../lib/batch.ts';
import { logger } from '../lib/logger.ts';

export interface DeliverOutboundOptions {
  /** Seconds before the next delivery after the n-th failed one (tests shorten it). */
  retryDelaySeconds?: (receiveCount: number) => number;
}

/*
 * SQS outbound → the shop's endpoint, one record at a time, failures reported per record.
 * A record worth retrying is hidden for its backoff (1 min, 5 min, 25 min, ~2 h) and reported
 * failed; on its last delivery it is made visible at once, so SQS moves it to the DLQ now rather
 * than after the queue's visibility timeout.
 */
export function deliverOutboundHandler(
  deps: DeliverDeps & Pick<AppDeps, 'redelivery'>,
  options: DeliverOutboundOptions = {},
) {
  const deliver = outboundDeliverer(deps);
  const delayFor = options.retryDelaySeconds ?? ((n: number) => retryDelaySeconds(n));
  return sqsBatchHandler('deliver-outbound', async (record) => {
    const receiveCount = receiveCountOf(record);
    const outcome = await deliver(OutboundMessage.parse(JSON.parse(record.body)), { receiveCount });
    if (outcome.kind !== 'retry') return;
    const seconds = outcome.last ? 0 : delayFor(receiveCount);
    await deps.redelivery
      .delay({ queueArn: record.eventSourceARN, receiptHandle: record.receiptHandle }, seconds)
      .catch((err: unknown) =>
        // Without the backoff the queue's own visibility timeout still brings it back.
        logger.warn('deliver-outbound: could not set the retry delay', {
          messageId: record.messageId,
          errorMessage: err instanceof Error ? err.message : String(err),
        }),
      );
    throw new OutboundNotDeliveredError(outcome.reason);
  });
}
