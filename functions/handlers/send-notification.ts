import { NotificationMessage } from '../../schemas/messages.ts';
import type { AppDeps } from '../app/ports.ts';
import { recordNotice } from '../app/record-notice.ts';
import { sqsBatchHandler } from '../lib/batch.ts';

/** SQS notifications → the delivery log, one record at a time, failures reported per record. */
export function sendNotificationHandler(deps: Pick<AppDeps, 'notices' | 'clock'>) {
  return sqsBatchHandler('send-notification', (record) =>
    recordNotice(deps, NotificationMessage.parse(JSON.parse(record.body))),
  );
}
