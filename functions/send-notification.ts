import { createDeps } from './deps.ts';
import { sendNotificationHandler } from './handlers/send-notification.ts';
import { readConfig } from './lib/config.ts';

/** SQS notifications: record each planned notice once in the delivery log. */
export const handler = sendNotificationHandler(createDeps(readConfig(process.env)));
