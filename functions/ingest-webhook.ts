import { createDeps } from './deps.ts';
import { ingestWebhookHandler } from './handlers/ingest-webhook.ts';
import { readConfig } from './lib/config.ts';

/** POST /webhooks/{provider}/{shopId}: verify, dedupe, store, enqueue, answer fast. */
export const handler = ingestWebhookHandler(createDeps(readConfig(process.env, { queues: ['inbound'] })));
