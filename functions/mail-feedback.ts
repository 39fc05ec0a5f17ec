import { createDeps } from './deps.ts';
import { mailFeedbackHandler } from './handlers/mail-feedback.ts';
import { readConfig } from './lib/config.ts';

/** SES bounces and complaints (through SNS): mark the customers' addresses. */
export const handler = mailFeedbackHandler(createDeps(readConfig(process.env, { queues: ['inbound'] })));
