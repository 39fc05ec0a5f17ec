import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SNSClient } from '@aws-sdk/client-sns';
import { shopChannels } from './adapters/channels/index.ts';
import { secretsOf } from './adapters/secrets/index.ts';
import { createDeps } from './deps.ts';
import { sendNotificationHandler } from './handlers/send-notification.ts';
import { readConfig } from './lib/config.ts';

const config = readConfig(process.env, {
  queues: ['inbound', 'notifications'],
  customerTokens: true,
  publicUrl: true,
});
const deps = createDeps(config, secretsOf(config));

/** SQS notifications: each planned notice to the customer (or the staff) once, within consent, quiet hours and caps. */
export const handler = sendNotificationHandler({
  ...deps,
  channels: shopChannels(deps, { ses: new SESv2Client({}), sns: new SNSClient({}) }),
  links: { publicUrl: config.publicUrl!, tokenSecret: config.customerTokenSecret! },
});
