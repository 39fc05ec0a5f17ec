import * as z from 'zod';

/**
 * The deployment's configuration: CDK context (cdk.json `context`, or `-c key=value` on the command
 * line, which always arrives as a string). Parsed once by infra/app.ts; a missing or bad value fails
 * the synth with one message naming every key at fault, before any resource exists.
 *
 * Keys are flat so that each can be overridden with `-c`: `-c retainData=false`, `-c region=eu-west-1`.
 */

/** `true`/`false` as JSON booleans or as the strings `-c` passes; anything else is an error. */
const Bool = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean({ error: 'must be true or false' }),
);

/** A whole number given as a number or as the string `-c` passes. */
const Int = (min: number, max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
    z
      .number({ error: `must be a whole number from ${min} to ${max}` })
      .int()
      .min(min)
      .max(max),
  );

/** An optional string: absent, empty or blank means not set. */
const Optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    schema.optional(),
  );

/** A browser origin: scheme, host and port only (never `*`, no path, no trailing slash). */
const Origin = z.string().refine(
  (value) => {
    try {
      const url = new URL(value);
      return url.origin === value && (url.protocol === 'https:' || url.hostname === 'localhost');
    } catch {
      return false;
    }
  },
  { error: 'must be an https origin like https://admin.example.com (no path, no trailing slash, never *)' },
);

const Region = z
  .string({ error: 'is required: the AWS region to deploy to, e.g. "us-east-1" (no default is assumed)' })
  .regex(/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/, { error: 'must be an AWS region name like "eu-west-1"' });

const HostName = z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
  error: 'must be a lower-case host name like api.shop.example',
});

/** A comma-separated list (as `-c` passes it) or a JSON array of strings. */
const List = z.preprocess(
  (value) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : value,
  z.array(z.string().min(1)).min(1, { error: 'must name at least one audience' }),
);

export const DeployConfigSchema = z
  .object({
    /** Names the stack's resources and alarms: `prod`, `staging`. */
    stage: z
      .string({ error: 'is required: a short name for this deployment, e.g. "prod"' })
      .regex(/^[a-z][a-z0-9-]{0,19}$/, {
        error: 'must be lower-case letters, digits and dashes, at most 20',
      }),
    region: Region,
    /** Optional: the 12-digit account; otherwise the one of the credentials `cdk deploy` runs with. */
    account: Optional(z.string().regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account id' })),
    /** Every alarm is mailed here (SNS email subscription; the address must confirm it once). */
    alarmEmail: z.email({ error: 'is required: the address alarms are mailed to' }),
    /** Who signs staff in: the stack's own Cognito pool, or an external OIDC issuer. */
    adminIdentity: z.enum(['cognito', 'oidc'], { error: 'must be "cognito" or "oidc"' }).default('cognito'),
    adminIssuer: Optional(z.url({ protocol: /^https$/, error: 'must be the https URL of the OIDC issuer' })),
    adminAudience: Optional(List),
    /** The admin page's origin when it is served elsewhere; unset: same origin as the API, no CORS. */
    adminOrigin: Optional(Origin),
    /** SES: the verified identity (domain or address) mail is sent from, and an existing configuration set. */
    sesIdentity: Optional(z.string().min(3)),
    sesConfigurationSet: Optional(
      z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be an SES configuration set name' }),
    ),
    /** SNS SMS sender id (alphanumeric, up to 11 characters, where the destination country allows it). */
    smsSenderId: Optional(
      z.string().regex(/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/, {
        error: 'must be 1-11 letters and digits, at least one letter',
      }),
    ),
    /** Secrets Manager secret holding SMTP credentials for shops that send through their own server. */
    smtpSecretName: Optional(
      z.string().regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, { error: 'must be a Secrets Manager secret name' }),
    ),
    /** Optional custom domain for the API (an ACM certificate in the same region). */
    domainName: Optional(HostName),
    certificateArn: Optional(
      z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, {
        error: 'must be an ACM certificate ARN',
      }),
    ),
    /** Keep the table, the staff pool, the secrets key and logs when the stack is deleted. */
    retainData: Bool.default(true),
    /** A WAF web ACL with a per-IP rate rule in front of /webhooks/* (costs a monthly fee). */
    webhookWaf: Bool.default(false),
    /** Requests per source IP per 5 minutes the WAF rule allows on /webhooks/*. */
    webhookWafLimit: Int(100, 2_000_000_000).default(2000),
    /** Stage-wide throttling of the HTTP API (steady requests per second and burst). */
    apiRateLimit: Int(1, 10_000).default(200),
    apiBurstLimit: Int(1, 5_000).default(400),
    /** The table's encryption: AWS owned key (free) or a customer-managed KMS key made by the stack. */
    tableKey: z
      .enum(['aws-owned', 'customer-managed'], { error: 'must be "aws-owned" or "customer-managed"' })
      .default('aws-owned'),
    /** Days every function's logs (and the API's access logs) are kept. */
    logRetentionDays: z
      .preprocess(
        (value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
        z.union(
          [
            z.literal(7),
            z.literal(14),
            z.literal(30),
            z.literal(60),
            z.literal(90),
            z.literal(180),
            z.literal(365),
          ],
          {
            error: 'must be one of 7, 14, 30, 60, 90, 180, 365',
          },
        ),
      )
      .default(30),
  })
  .superRefine((c, ctx) => {
    if (c.adminIdentity === 'oidc') {
      if (!c.adminIssuer)
        ctx.addIssue({
          code: 'custom',
          path: ['adminIssuer'],
          message: 'is required when adminIdentity is "oidc"',
        });
      if (!c.adminAudience)
        ctx.addIssue({
          code: 'custom',
          path: ['adminAudience'],
          message: 'is required when adminIdentity is "oidc"',
        });
    } else {
      for (const key of ['adminIssuer', 'adminAudience'] as const)
        if (c[key] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'is only for adminIdentity "oidc" (the stack makes its own Cognito pool)',
          });
    }
    if (Boolean(c.domainName) !== Boolean(c.certificateArn))
      ctx.addIssue({
        code: 'custom',
        path: [c.domainName ? 'certificateArn' : 'domainName'],
        message: 'domainName and certificateArn go together',
      });
    if (c.certificateArn && !c.certificateArn.includes(`:acm:${c.region}:`))
      ctx.addIssue({
        code: 'custom',
        path: ['certificateArn'],
        message: `must be a certificate in ${c.region}, the stack's region`,
      });
    if (c.webhookWaf && c.region !== 'us-east-1')
      ctx.addIssue({
        code: 'custom',
        path: ['webhookWaf'],
        message:
          'needs region us-east-1: WAF cannot attach to an HTTP API, so the webhooks go through CloudFront, whose web ACLs live in us-east-1 (leave it false elsewhere; per-route throttling still applies)',
      });
    if (c.apiBurstLimit < c.apiRateLimit)
      ctx.addIssue({ code: 'custom', path: ['apiBurstLimit'], message: 'must be at least apiRateLimit' });
  });

export type DeployConfig = z.infer<typeof DeployConfigSchema>;

/** Every context key the configuration reads (the rest of the context is CDK's own). */
export const CONFIG_KEYS = Object.keys(DeployConfigSchema.shape) as Array<keyof DeployConfig>;

export class DeployConfigError extends Error {
  override name = 'DeployConfigError';
}

/**
 * The configuration from a context lookup (`app.node.tryGetContext`), or a DeployConfigError that
 * names every bad key with what it must be.
 */
export function parseDeployConfig(context: (key: string) => unknown): DeployConfig {
  const raw = Object.fromEntries(
    // `-c region=` (an empty value) is the same as not giving the key at all.
    CONFIG_KEYS.map((key) => [key, context(key)]).filter(
      ([, v]) => v !== undefined && !(typeof v === 'string' && v.trim() === ''),
    ),
  );
  const parsed = DeployConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map(
    (issue) => `  - ${issue.path.join('.') || '(config)'} ${issue.message}`,
  );
  throw new DeployConfigError(
    `aftersale: invalid deployment configuration (cdk.json "context" or -c key=value):\n${lines.join('\n')}\nSee docs/deploy.md, "Configure".`,
  );
}
