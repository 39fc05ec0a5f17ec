import * as z from 'zod';
import { env, QUEUE_NAMES, type QueueName } from '../contract.ts';

/**
 * The one module that reads the environment, once, at cold start: each entry point names what it
 * needs and gets it validated, or fails before its first request with a message naming every
 * missing or invalid variable (instead of an `undefined` deep inside a request).
 */
const EnvSchema = z.object({
  [env.table]: z.string().min(1).optional(),
  [env.queueUrl('inbound')]: z.url().optional(),
  [env.queueUrl('notifications')]: z.url().optional(),
  [env.queueUrl('outbound')]: z.url().optional(),
  [env.customerTokenSecret]: z.string().min(32).optional(),
  [env.deadLetterUrl('inbound')]: z.url().optional(),
  [env.deadLetterUrl('notifications')]: z.url().optional(),
  [env.deadLetterUrl('outbound')]: z.url().optional(),
  [env.staffPoolId]: z.string().min(1).optional(),
  [env.staffClientId]: z.string().min(1).optional(),
  [env.pagesDir]: z.string().min(1).optional(),
  [env.publicUrl]: z.url().optional(),
  AWS_REGION: z.string().min(1).optional(),
  LAMBDA_TASK_ROOT: z.string().min(1).optional(),
  [env.adminJwtSecret]: z.string().min(32).optional(),
  [env.adminJwtIssuer]: z.url().optional(),
  [env.adminJwtAudience]: z.string().min(1).optional(),
  [env.secretsKeyId]: z.string().min(1).optional(),
});

/**
 * The key connector and channel secrets are sealed with: a KMS key on AWS (its id, ARN or alias in
 * SECRETS_KEY_ID), or locally `local:` and the base64url of a 32-byte key (the local runtime and
 * the CLI set it from the data dir's key file).
 */
export type SecretsKeySetting = { kind: 'kms'; keyId: string } | { kind: 'local'; key: string };

export type AdminJwtSettings =
  | { kind: 'hs256'; secret: string; issuer?: string; audience?: string }
  | { kind: 'jwks'; issuer: string; audience?: string };

export interface Config {
  tableName: string;
  /** Only the queues the function sends to. */
  queueUrls: Partial<Record<QueueName, string>>;
  /** How admin tokens are verified (admin functions only). */
  adminJwt?: AdminJwtSettings;
  /** The key customers' case tokens are signed with (the customer API only). */
  customerTokenSecret?: string;
  /** The DLQs the function may list and redrive (the admin API). */
  deadLetterUrls: Partial<Record<QueueName, string>>;
  /** How staff sign in on the admin page: Cognito on AWS, a pasted token locally. */
  staffSignIn?: { region: string; userPoolId: string; clientId: string };
  /** Where the pages' files are. */
  pagesDir?: string;
  /** The API's public base URL, without a trailing slash (links in messages). */
  publicUrl?: string;
  /** Only where SECRETS_KEY_ID is set: the functions that open connector and channel secrets. */
  secretsKey?: SecretsKeySetting;
}

export interface Needs {
  /** Default true: every function but the pages works on the table. */
  table?: boolean;
  queues?: QueueName[];
  deadLetters?: QueueName[];
  adminJwt?: boolean;
  customerTokens?: boolean;
  pages?: boolean;
  /** The API's public base URL (the links customers and staff get). */
  publicUrl?: boolean;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readConfig(source: Record<string, string | undefined>, needs: Needs = {}): Config {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) throw new ConfigError(`invalid environment: ${z.prettifyError(parsed.error)}`);
  const values = parsed.data as Record<string, string | undefined>;
  const problems: string[] = [];
  const need = (name: string) => {
    const value = values[name];
    if (!value) problems.push(`${name} is not set`);
    return value ?? '';
  };
  const tableName = needs.table === false ? '' : need(env.table);
  const queueUrls: Config['queueUrls'] = {};
  for (const queue of needs.queues ?? []) {
    if (!QUEUE_NAMES.includes(queue)) problems.push(`no queue ${queue}`);
    queueUrls[queue] = need(env.queueUrl(queue));
  }
  let adminJwt: AdminJwtSettings | undefined;
  if (needs.adminJwt) {
    const secret = values[env.adminJwtSecret];
    const issuer = values[env.adminJwtIssuer];
    const audience = values[env.adminJwtAudience];
    if (secret)
      adminJwt = { kind: 'hs256', secret, ...(issuer && { issuer }), ...(audience && { audience }) };
    else if (issuer) adminJwt = { kind: 'jwks', issuer, ...(audience && { audience }) };
    else
      problems.push(
        `set ${env.adminJwtSecret} (local) or ${env.adminJwtIssuer} (an OIDC issuer such as Cognito)`,
      );
  }
  const customerTokenSecret = needs.customerTokens ? need(env.customerTokenSecret) : undefined;
  const deadLetterUrls: Config['deadLetterUrls'] = {};
  for (const queue of needs.deadLetters ?? []) deadLetterUrls[queue] = need(env.deadLetterUrl(queue));
  const pool = values[env.staffPoolId];
  const client = values[env.staffClientId];
  const staffSignIn =
    pool && client
      ? { region: values.AWS_REGION ?? pool.split('_')[0] ?? 'us-east-1', userPoolId: pool, clientId: client }
      : undefined;
  // On Lambda the pages are shipped beside the bundle; elsewhere they are in the repository.
  const pagesDir = needs.pages
    ? (values[env.pagesDir] ?? (values.LAMBDA_TASK_ROOT ? `${values.LAMBDA_TASK_ROOT}/pages` : undefined))
    : undefined;
  const publicUrl = needs.publicUrl ? need(env.publicUrl).replace(/\/+$/, '') : undefined;
  const secretsKey = secretsKeyOf(values[env.secretsKeyId], problems);
  if (problems.length) throw new ConfigError(`invalid environment: ${problems.join('; ')}`);
  return {
    tableName,
    queueUrls,
    deadLetterUrls,
    ...(adminJwt && { adminJwt }),
    ...(customerTokenSecret && { customerTokenSecret }),
    ...(staffSignIn && { staffSignIn }),
    ...(pagesDir && { pagesDir }),
    ...(publicUrl && { publicUrl }),
    ...(secretsKey && { secretsKey }),
  };
}

function secretsKeyOf(value: string | undefined, problems: string[]): SecretsKeySetting | undefined {
  if (!value) return undefined;
  if (!value.startsWith('local:')) return { kind: 'kms', keyId: value };
  const key = value.slice('local:'.length);
  if (Buffer.from(key, 'base64url').length !== 32)
    problems.push(`${env.secretsKeyId}: a local key is local: and 32 bytes in base64url`);
  return { kind: 'local', key };
}
