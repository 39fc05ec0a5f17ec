import { NotificationMessage } from '../../schemas/messages.ts';
import { retryDelaySeconds } from '../app/deliver-outbound.ts';
import type { AppDeps } from '../app/ports.ts';
import { NoticeNotSentError, type SendNoticeDeps, sendNotice } from '../app/send-notice.ts';
import { receiveCountOf, sqsBatchHandler } from '../lib/batch.ts';
import { logger } from '../lib/logger.ts';

export interface SendNotificationOptions {
  /** Seconds before the next delivery after the n-th failed one (tests shorten it). */
  retryDelaySeconds?: (receiveCount: number) => number;
}

/*
 * SQS notifications → the customer (or the staff), one record at a time, failures reported per
 * record. A send that may work later is hidden for its backoff (1 min, 5 min, 25 min, ~2 h) and
 * reported failed, so SQS hands it out again and, after the last try, moves it to the DLQ.
 */
export function sendNotificationHandler(
  deps: SendNoticeDeps & Pick<AppDeps, 'redelivery'>,
  options: SendNotificationOptions = {},
) {
  const delayFor = options.retryDelaySeconds ?? ((n: number) => retryDelaySeconds(n));
  return sqsBatchHandler('send-notification', async (record) => {
    try {
      await sendNotice(deps, NotificationMessage.parse(JSON.parse(record.body)));
    } catch (err) {
      if (err instanceof NoticeNotSentError) {
        await deps.redelivery
          .delay(
            { queueArn: record.eventSourceARN, receiptHandle: record.receiptHandle },
            delayFor(receiveCountOf(record)),
          )
          .catch((e: unknown) =>
            logger.warn('send-notification: could not set the retry delay', {
              messageId: record.messageId,
              errorMessage: e instanceof Error ? e.message : String(e),
            }),
          );
      }
      throw err;
    }
  });
}
