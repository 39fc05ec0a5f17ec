/**
 * The runtime contract between the functions and whatever runs them (the CDK stack on AWS, the
 * local runtime here): environment variable names, queue names and their delivery limits, the
 * ingest limits and the timer shards. It lives with the functions because they are what it
 * describes; infra/topology.ts builds on it, never the other way round.
 */

export const QUEUE_NAMES = ['inbound', 'notifications', 'outbound'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** Deliveries of one message before SQS moves it to the queue's DLQ (the same for every queue). */
export const MAX_RECEIVE_COUNT = 5;

/** Timer items are spread over this many partitions per minute so a busy minute is not one hot key. */
export const TIMER_SHARDS = 4;

/** Limits the ingest path enforces. */
export const limits = {
  /** Bodies above this are refused with 413 before any hashing (Shopify caps at 256 KiB too). */
  maxWebhookBytes: 256 * 1024,
};

/** Environment variable names, shared by the binders (CDK and local) and the config module. */
export const env = {
  table: 'TABLE_NAME',
  queueUrl: (queue: QueueName) => `QUEUE_URL_${queue.toUpperCase()}`,
  deadLetterUrl: (queue: QueueName) => `DLQ_URL_${queue.toUpperCase()}`,
  /** The admin page's Cognito sign-in (AWS only): region, pool and app client. */
  staffPoolId: 'STAFF_USER_POOL_ID',
  staffClientId: 'STAFF_CLIENT_ID',
  /** Where the pages' files are (default: `pages/` beside the bundle, or in the repository). */
  pagesDir: 'PAGES_DIR',
  /** The key customer case tokens are signed with (HS256, at least 32 characters). */
  customerTokenSecret: 'CUSTOMER_TOKEN_SECRET',
  /** The API's public base URL (`https://api.example.com`): links in messages (portal, unsubscribe, admin). */
  publicUrl: 'PUBLIC_URL',
  /**
   * The KMS key (id or ARN) connector and channel secrets are encrypted with at rest. Only the
   * functions that verify or sign with those secrets get it (and kms:Decrypt on it).
   */
  secretsKeyId: 'SECRETS_KEY_ID',
  adminJwtSecret: 'ADMIN_JWT_SECRET',
  adminJwtIssuer: 'ADMIN_JWT_ISSUER',
  adminJwtAudience: 'ADMIN_JWT_AUDIENCE',
} as const;
