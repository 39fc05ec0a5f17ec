import { z } from 'zod';
import { env, type QueueName } from '../contract.ts';

/**
 * The one module that reads the environment. Validated on first use (cold start), so a missing
 * variable fails with a message naming it instead of an `undefined` deep inside a request.
 */
const EnvSchema = z.object({
  [env.table]: z.string().min(1).optional(),
  [env.queueUrl('inbound')]: z.url().optional(),
  [env.queueUrl('notifications')]: z.url().optional(),
  [env.adminJwtSecret]: z.string().min(32).optional(),
  [env.adminJwtIssuer]: z.url().optional(),
  [env.adminJwtAudience]: z.string().optional(),
});

let cached: z.infer<typeof EnvSchema> | undefined;

function load(): z.infer<typeof EnvSchema> {
  if (!cached) {
    const parsed = EnvSchema.safeParse(process.env);
    if (!parsed.success) {
      throw new Error(`invalid environment: ${z.prettifyError(parsed.error)}`);
    }
    cached = parsed.data;
  }
  return cached;
}

function required(name: string): string {
  const value = (load() as Record<string, string | undefined>)[name];
  if (!value) throw new Error(`missing environment variable ${name}`);
  return value;
}

export const config = {
  tableName: () => required(env.table),
  queueUrl: (queue: QueueName) => required(env.queueUrl(queue)),
  adminJwt: () => {
    const values = load() as Record<string, string | undefined>;
    const secret = values[env.adminJwtSecret];
    const issuer = values[env.adminJwtIssuer];
    if (secret) return { kind: 'hs256' as const, secret, issuer, audience: values[env.adminJwtAudience] };
    if (issuer) return { kind: 'jwks' as const, issuer, audience: values[env.adminJwtAudience] };
    throw new Error(
      `set ${env.adminJwtSecret} (local) or ${env.adminJwtIssuer} (an OIDC issuer such as Cognito)`,
    );
  },
  /** For tests and the local runtime, which set the environment after import. */
  reset: () => {
    cached = undefined;
  },
};
