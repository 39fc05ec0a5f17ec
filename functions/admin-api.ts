import { createDeps } from './deps.ts';
import { adminApiHandler } from './handlers/admin-api.ts';
import { readConfig } from './lib/config.ts';

const config = readConfig(process.env, {
  adminJwt: true,
  queues: ['inbound', 'notifications', 'outbound'],
  deadLetters: ['inbound', 'notifications', 'outbound'],
});

/** The staff API over /admin/*, behind a JWT, scoped to the token's shop. */
export const handler = adminApiHandler(createDeps(config), config.adminJwt!);
