import { connectorFor } from './adapters/connectors/index.ts';
import { createDeps } from './deps.ts';
import { processEventHandler } from './handlers/process-event.ts';
import { readConfig } from './lib/config.ts';

/** SQS inbound: parse inbox items into canonical events and apply them; follow-ons and timers too. */
export const handler = processEventHandler(
  createDeps(readConfig(process.env, { queues: ['inbound', 'notifications', 'outbound'] }), {
    connectors: connectorFor,
  }),
);
