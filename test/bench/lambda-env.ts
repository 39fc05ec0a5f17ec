import { join } from 'node:path';
import { applyLocalEnv } from '../../infra/local/state.ts';
import { env as contractEnv, queues } from '../../infra/topology.ts';

/** The environment a function's bundle reads at cold start; no endpoint is contacted by an import. */
export function lambdaEnv(): NodeJS.ProcessEnv {
  const saved = { ...process.env };
  applyLocalEnv({
    dynamoEndpoint: 'http://127.0.0.1:9',
    sqsEndpoint: 'http://127.0.0.1:9',
    tableName: 'aftersale',
    queueUrls: Object.fromEntries(
      queues.map((q) => [q.name, `http://127.0.0.1:9/000000000000/${q.name}`]),
    ) as never,
    dlqUrls: Object.fromEntries(
      queues.map((q) => [q.name, `http://127.0.0.1:9/000000000000/${q.name}-dlq`]),
    ) as never,
    jwtKey: 'bench-jwt-key-bench-jwt-key-bench-jwt-key',
    customerKey: 'bench-customer-key-bench-customer-key-bench',
    secretsKey: Buffer.alloc(32, 7).toString('base64url'),
  });
  const env = {
    ...process.env,
    [contractEnv.publicUrl]: 'http://127.0.0.1:9',
    [contractEnv.pagesDir]: join(import.meta.dirname, '..', '..', 'pages'),
    LOG_LEVEL: 'ERROR',
  };
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  return env;
}
