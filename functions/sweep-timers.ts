import { sweep } from './app/sweep.ts';
import { createDeps } from './deps.ts';
import { readConfig } from './lib/config.ts';

const deps = createDeps(readConfig(process.env, { queues: ['inbound', 'notifications'] }));

/** Each minute (EventBridge): due timers and stuck inbox items go (back) to the inbound queue. */
export const handler = async () => {
  await sweep(deps);
};
