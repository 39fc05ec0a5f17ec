import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { QueueName } from '../topology.ts';

/** Where local data lives: `.data/` in the repository, or AFTERSALE_DATA_DIR. */
export function dataDir(): string {
  const dir = resolve(process.env.AFTERSALE_DATA_DIR ?? join(import.meta.dirname, '..', '..', '.data'));
  mkdirSync(dir, { recursive: true });
  return dir;
}

export const LOCAL_TABLE = 'aftersale';

/** The demo shop every local run has, with a well-known secret so the README's curl works as is. */
export const DEMO_SHOP = 'demo-shop';
export const DEMO_SECRET = 'demo-secret';
export const LOCAL_REGION = 'us-east-1';

/**
 * The HS256 key local admin tokens are signed with: made once, kept in the data dir (mode 600),
 * so tokens stay valid across restarts. AWS uses an OIDC issuer instead (see infra/stack.ts).
 */
export function localJwtKey(dir = dataDir()): string {
  return localKey(dir, 'jwt.key');
}

/** The key customers' case tokens are signed with locally (on AWS a Secrets Manager secret). */
export function localCustomerKey(dir = dataDir()): string {
  return localKey(dir, 'customer.key');
}

/**
 * The key connector and channel secrets are sealed with locally (AES-256-GCM; on AWS a KMS key):
 * made on first use and kept in the data dir, so what was sealed opens after a restart.
 */
export function localSecretsKey(dir = dataDir()): string {
  return localKey(dir, 'secrets.key');
}

function localKey(dir: string, name: string): string {
  const file = join(dir, name);
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

export interface RuntimeInfo {
  pid: number;
  url: string;
  dynamoEndpoint: string;
  sqsEndpoint: string;
  tableName: string;
  queueUrls: Record<QueueName, string>;
  dlqUrls: Record<QueueName, string>;
}

const runtimeFile = (dir: string) => join(dir, 'runtime.json');

export function writeRuntimeInfo(dir: string, info: RuntimeInfo): void {
  writeFileSync(runtimeFile(dir), `${JSON.stringify(info, null, 2)}\n`);
}

export function clearRuntimeInfo(dir: string): void {
  rmSync(runtimeFile(dir), { force: true });
}

/** The running local stack's endpoints, if one is running (its pid is alive). */
export function readRuntimeInfo(dir = dataDir()): RuntimeInfo | undefined {
  const file = runtimeFile(dir);
  if (!existsSync(file)) return undefined;
  const info = JSON.parse(readFileSync(file, 'utf8')) as RuntimeInfo;
  try {
    process.kill(info.pid, 0);
    return info;
  } catch {
    return undefined;
  }
}

/** Points the AWS SDK (and our config module) at the local services, as Lambda's env would at AWS. */
export function applyLocalEnv(values: {
  dynamoEndpoint: string;
  sqsEndpoint?: string;
  tableName: string;
  queueUrls?: Record<QueueName, string>;
  jwtKey?: string;
  customerKey?: string;
  dlqUrls?: Record<QueueName, string>;
  /** The local secrets key (default: the data dir's, as the local runtime and the CLI use). */
  secretsKey?: string;
}): void {
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: values.dynamoEndpoint,
    // Metrics are counted but not printed as EMF lines: locally nobody collects them.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    TABLE_NAME: values.tableName,
    ...(values.sqsEndpoint && { AWS_ENDPOINT_URL_SQS: values.sqsEndpoint }),
    ...(values.jwtKey && { ADMIN_JWT_SECRET: values.jwtKey }),
    ...(values.customerKey && { CUSTOMER_TOKEN_SECRET: values.customerKey }),
    // On AWS a KMS key id; here the local key itself, which the config module tells apart by `local:`.
    SECRETS_KEY_ID: `local:${values.secretsKey ?? localSecretsKey()}`,
    ...Object.fromEntries(
      Object.entries(values.queueUrls ?? {}).map(([q, url]) => [`QUEUE_URL_${q.toUpperCase()}`, url]),
    ),
    ...Object.fromEntries(
      Object.entries(values.dlqUrls ?? {}).map(([q, url]) => [`DLQ_URL_${q.toUpperCase()}`, url]),
    ),
  });
  delete process.env.AWS_PROFILE;
}
