import { connectorFor } from './adapters/connectors/index.ts';
import { secretsOf } from './adapters/secrets/index.ts';
import { createDeps } from './deps.ts';
import { ingestWebhookHandler } from './handlers/ingest-webhook.ts';
import { readConfig } from './lib/config.ts';

const config = readConfig(process.env, { queues: ['inbound'] });

/** POST /webhooks/{provider}/{shopId}: verify, dedupe, store, enqueue, answer fast. */
export const handler = ingestWebhookHandler(
  createDeps(config, { ...secretsOf(config), connectors: connectorFor }),
);
