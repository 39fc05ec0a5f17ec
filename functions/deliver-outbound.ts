import { secretsOf } from './adapters/secrets/index.ts';
import { createDeps } from './deps.ts';
import { deliverOutboundHandler } from './handlers/deliver-outbound.ts';
import { readConfig } from './lib/config.ts';

const config = readConfig(process.env);

/** SQS outbound: sign each event for the shop's own systems and POST it to the shop's endpoint. */
export const handler = deliverOutboundHandler(createDeps(config, secretsOf(config)));
