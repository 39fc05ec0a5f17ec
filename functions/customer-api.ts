import { secretsOf } from './adapters/secrets/index.ts';
import { createDeps } from './deps.ts';
import { customerApiHandler } from './handlers/customer-api.ts';
import { readConfig } from './lib/config.ts';

const config = readConfig(process.env, {
  queues: ['inbound', 'notifications', 'outbound'],
  customerTokens: true,
});

/** The public customer API: returns, their page, the return parcel, withdrawing. */
export const handler = customerApiHandler(createDeps(config, secretsOf(config)), config.customerTokenSecret!);
