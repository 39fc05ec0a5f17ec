import { z } from 'zod';
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
  [env.adminJwtSecret]: z.string().min(32).optional(),
  [env.adminJwtIssuer]: z.url().optional(),
  [env.adminJwtAudience]: z.string().min(1).optional(),
});

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
}

export interface Needs {
  queues?: QueueName[];
  adminJwt?: boolean;
  customerTokens?: boolean;
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
  const tableName = need(env.table);
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
  if (problems.length) throw new ConfigError(`invalid environment: ${problems.join('; ')}`);
  return {
    tableName,
    queueUrls,
    ...(adminJwt && { adminJwt }),
    ...(customerTokenSecret && { customerTokenSecret }),
  };
}
