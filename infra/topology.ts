/**
 * The single description of what aftersale is made of. The CDK stack (infra/stack.ts) builds AWS
 * from it and the local runtime (infra/local/) runs it on this machine; nothing is listed twice.
 * Pure data: no CDK or SDK imports, so both sides (and tests) can read it cheaply.
 */

import { env, limits, MAX_RECEIVE_COUNT, type QueueName, TIMER_SHARDS } from '../functions/contract.ts';

// The runtime contract belongs to the functions; the topology builds on it.
export { env, limits, type QueueName, TIMER_SHARDS };
export type FunctionName =
  | 'health'
  | 'ingest-webhook'
  | 'process-event'
  | 'send-notification'
  | 'admin-api'
  | 'sweep-timers'
  | 'deliver-outbound'
  | 'customer-api'
  | 'mail-feedback'
  | 'pages';

export interface QueueSpec {
  name: QueueName;
  /** Which function consumes it. */
  consumer: FunctionName;
  batchSize: number;
  /** Seconds; at least 6x the consumer's timeout, as AWS advises for SQS event sources. */
  visibilityTimeoutSeconds: number;
  /** Deliveries before a message moves to the queue's DLQ. */
  maxReceiveCount: number;
  /** Upper bound of concurrent consumer invocations (SQS event source maximum concurrency, >= 2). */
  maxConcurrency: number;
  /** How long a batch may gather messages before invoking (seconds). */
  maxBatchingWindowSeconds: number;
  /** Message retention, days (DLQ keeps 14). */
  retentionDays: number;
  /**
   * Alarm when the oldest message waits longer than this (minutes): longer than any backoff the
   * consumer sets on purpose, so it means the consumer is stuck or too slow.
   */
  oldestMessageAlarmMinutes: number;
}

/**
 * DynamoDB API actions a function's code calls (TransactWriteItems is authorised per item as
 * PutItem / UpdateItem, TransactGet as GetItem). Scan is not among them: nothing scans.
 */
export type DynamoAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'ConditionCheckItem';

export interface TableUse {
  /** Exactly the actions its code uses (each granted on the table; Query also on the indexes). */
  actions: DynamoAction[];
}

export interface FunctionSpec {
  name: FunctionName;
  /** Entry file relative to the repository root; exports `handler`. */
  entry: string;
  description: string;
  memoryMb: number;
  timeoutSeconds: number;
  table?: TableUse;
  /** Queues the function sends to (consumption is declared on the queue). */
  sendsTo?: QueueName[];
  /** Admin functions need the JWT verification settings. */
  adminAuth?: boolean;
  /** Functions that sign or verify customers' case tokens need their key. */
  customerTokens?: boolean;
  /** DLQs whose messages the function may list and move back to their queue. */
  redrives?: QueueName[];
  /** Folders of the repository shipped beside the bundle (the pages' files). */
  assets?: string[];
  /** The admin page signs staff in with the stack's Cognito pool: it needs its ids. */
  staffSignIn?: boolean;
  /** Links in what it sends (portal, unsubscribe, admin) need the API's public URL. */
  publicUrl?: boolean;
  /** Sends customer email through SES and SMS through SNS. */
  messaging?: boolean;
  /**
   * Reads connector or channel secrets in the clear (verifies webhooks, signs outbound calls or
   * channel requests): gets the secrets key's id in env.secretsKeyId and kms:Decrypt on it.
   */
  secretsKey?: boolean;
  /** Invoked by the SNS topic SES reports bounces and complaints to. */
  mailFeedback?: boolean;
  /** Reserved concurrency: at most this many instances at once (and always that many available). */
  reservedConcurrency?: number;
}

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** API Gateway route path; `{name}` parameters, `{proxy+}` greedy. */
  path: string;
  function: FunctionName;
}

export interface ScheduleSpec {
  name: string;
  function: FunctionName;
  everyMinutes: number;
}

export interface IndexSpec {
  /** Named for the access pattern it serves; attribute names are `${name}Pk` / `${name}Sk`. */
  name: string;
  purpose: string;
  /** Attributes copied into the index besides keys; `all` for every attribute. */
  projection: 'all' | string[];
}

export interface TableSpec {
  partitionKey: 'pk';
  sortKey: 'sk';
  ttlAttribute: 'expiresAt';
  indexes: IndexSpec[];
}

export const table: TableSpec = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
  indexes: [
    {
      name: 'inboxByStatus',
      purpose: "a shop's inbox items by status (failed ones to replay), newest first",
      // Not the raw body: listing needs the summary, and a copy of every body would double storage.
      projection: [
        'shopId',
        'inboxId',
        'provider',
        'topic',
        'dedupeKey',
        'status',
        'receivedAt',
        'updatedAt',
        'attempts',
        'error',
        'bytes',
      ],
    },
    {
      name: 'orderByNumber',
      purpose: 'an order by its display number (Shopify name, WooCommerce number)',
      projection: [],
    },
    { name: 'customerByEmail', purpose: 'a customer by the hash of their normalised email', projection: [] },
    { name: 'customerByPhone', purpose: 'a customer by the hash of their E.164 phone', projection: [] },
    {
      name: 'casesByStatus',
      purpose: "the staff queue: a shop's cases by status, oldest first",
      projection: 'all',
    },
    {
      name: 'noticesByShop',
      purpose: "a shop's notice log, newest first",
      projection: 'all',
    },
  ],
};

export const functions: FunctionSpec[] = [
  {
    name: 'health',
    entry: 'functions/health.ts',
    description: 'Liveness probe: answers 200 without touching any dependency.',
    memoryMb: 128,
    timeoutSeconds: 3,
  },
  {
    name: 'ingest-webhook',
    entry: 'functions/ingest-webhook.ts',
    description: 'Verifies, dedupes and stores provider webhooks, enqueues them, answers fast.',
    memoryMb: 512,
    // Shopify waits 5 s for an answer; the p99 alarm fires at 80% of this.
    timeoutSeconds: 5,
    // The shop (Query), the inbox item (conditional Put; Get of the one already there).
    table: { actions: ['GetItem', 'Query', 'PutItem'] },
    sendsTo: ['inbound'],
    // Verifies each webhook with the connector's secrets.
    secretsKey: true,
  },
  {
    name: 'process-event',
    entry: 'functions/process-event.ts',
    description: 'Parses inbox items into canonical events and applies them to the aggregates.',
    memoryMb: 512,
    timeoutSeconds: 30,
    // Inbox item Get and status Update, the shop (Query), aggregates (BatchGet), commit (transaction of Put/Update).
    table: { actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem'] },
    sendsTo: ['inbound', 'notifications', 'outbound'],
  },
  {
    name: 'send-notification',
    entry: 'functions/send-notification.ts',
    description:
      'Sends each planned notice once (email, SMS, the shop gateway, staff chat alerts) within consent, quiet hours and caps.',
    memoryMb: 256,
    timeoutSeconds: 30,
    // Delivery log and caps (Update, one transaction), aggregates (Get/BatchGet), the shop (Query),
    // problem marks (Get/Update), deferred notices and the local outbox (Put).
    table: { actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem'] },
    // Deferred and follow-on notices (a VIP's staff alert), and contact reports for refused addresses.
    sendsTo: ['inbound', 'notifications'],
    customerTokens: true,
    publicUrl: true,
    messaging: true,
    // The shop's channel secrets: SMTP password, its gateway's signing secret, DingTalk's 加签.
    secretsKey: true,
  },
  {
    name: 'mail-feedback',
    entry: 'functions/mail-feedback.ts',
    description: 'SES bounces and complaints (through SNS): marks the customers whose address it was.',
    memoryMb: 256,
    timeoutSeconds: 30,
    // Customers by the hash of their address (the customerByEmail index), nothing else.
    table: { actions: ['Query'] },
    sendsTo: ['inbound'],
    mailFeedback: true,
  },
  {
    name: 'admin-api',
    entry: 'functions/admin-api.ts',
    description:
      'Staff API: the case queue and decisions, policy, orders, shipments, customers, inbox; behind a JWT.',
    memoryMb: 512,
    timeoutSeconds: 10,
    // Views (Get/BatchGet/Query), inbox replay (Get/Update), settings (Get + transaction of Puts),
    // policy publish (Put), decisions (BatchGet + transaction of Put/Update), rate limits (Update).
    table: { actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem'] },
    // Decisions publish their notices, follow-on events (parcels) and outbound events.
    sendsTo: ['inbound', 'notifications', 'outbound'],
    adminAuth: true,
    redrives: ['inbound', 'notifications', 'outbound'],
  },
  {
    name: 'customer-api',
    entry: 'functions/customer-api.ts',
    description:
      'Public customer API: file a return, follow it with its token, register the parcel, withdraw.',
    memoryMb: 512,
    timeoutSeconds: 10,
    // Rate limits (Update), case and order views (Get/BatchGet/Query), intake (BatchGet + transaction).
    table: { actions: ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem'] },
    sendsTo: ['inbound', 'notifications', 'outbound'],
    customerTokens: true,
    // SMS replies from the shop's gateway are verified with the webhook channel's secret.
    secretsKey: true,
  },
  {
    name: 'pages',
    entry: 'functions/pages.ts',
    description: 'The staff admin page, the customer portal, their files, and the OpenAPI document.',
    memoryMb: 256,
    timeoutSeconds: 5,
    assets: ['pages'],
    staffSignIn: true,
  },
  {
    name: 'sweep-timers',
    entry: 'functions/sweep-timers.ts',
    description: 'Each minute: due timers and stuck inbox items go (back) to the inbound queue.',
    memoryMb: 256,
    timeoutSeconds: 50,
    // One sweep at a time: two would race for the same minute's timers and the sweep cursor.
    reservedConcurrency: 1,
    // Sweep cursor (Get/Put), timers by minute (Query), swept timers (BatchWrite of deletes),
    // stuck inbox items (Query the status index, claim with Update), shop ids (Query).
    table: { actions: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'BatchWriteItem'] },
    sendsTo: ['inbound', 'notifications'],
  },
  {
    name: 'deliver-outbound',
    entry: 'functions/deliver-outbound.ts',
    description: "Signs each event for the shop's own systems and POSTs it to the shop's endpoint.",
    memoryMb: 256,
    // A batch's POSTs run in parallel, each given at most 10 s (adapters/outbound-http.ts).
    timeoutSeconds: 30,
    // The shop's endpoint (Query), the delivery log (Get, Update).
    table: { actions: ['GetItem', 'Query', 'UpdateItem'] },
    // Signs each POST with the shop's outbound secret.
    secretsKey: true,
  },
];

export const queues: QueueSpec[] = [
  {
    name: 'inbound',
    consumer: 'process-event',
    batchSize: 10,
    visibilityTimeoutSeconds: 180,
    maxReceiveCount: MAX_RECEIVE_COUNT,
    maxConcurrency: 10,
    maxBatchingWindowSeconds: 0,
    retentionDays: 4,
    oldestMessageAlarmMinutes: 15,
  },
  {
    name: 'notifications',
    consumer: 'send-notification',
    batchSize: 10,
    // At least 6 x 30 s + the 1 s batching window.
    visibilityTimeoutSeconds: 190,
    maxReceiveCount: MAX_RECEIVE_COUNT,
    maxConcurrency: 5,
    maxBatchingWindowSeconds: 1,
    retentionDays: 4,
    // Transient channel failures back off through SQS, a few minutes at a time.
    oldestMessageAlarmMinutes: 60,
  },
  {
    // Retries are backed off per message (1 min ... ~2 h, docs/outbound.md), not by this timeout.
    name: 'outbound',
    consumer: 'deliver-outbound',
    batchSize: 10,
    visibilityTimeoutSeconds: 190,
    maxReceiveCount: MAX_RECEIVE_COUNT,
    // The shops' systems are small: a few POSTs at a time, never a flood.
    maxConcurrency: 2,
    maxBatchingWindowSeconds: 1,
    retentionDays: 4,
    // The backoff alone keeps a message about 2.5 h (1 + 5 + 25 min + ~2 h) before the DLQ.
    oldestMessageAlarmMinutes: 240,
  },
];

export const routes: RouteSpec[] = [
  { method: 'GET', path: '/health', function: 'health' },
  { method: 'POST', path: '/webhooks/{provider}/{shopId}', function: 'ingest-webhook' },
  { method: 'GET', path: '/admin/orders', function: 'admin-api' },
  { method: 'GET', path: '/admin/orders/{orderId}', function: 'admin-api' },
  { method: 'GET', path: '/admin/shipments', function: 'admin-api' },
  { method: 'GET', path: '/admin/shipments/{shipmentId}', function: 'admin-api' },
  { method: 'GET', path: '/admin/customers', function: 'admin-api' },
  { method: 'GET', path: '/admin/inbox', function: 'admin-api' },
  { method: 'GET', path: '/admin/cases', function: 'admin-api' },
  { method: 'POST', path: '/admin/cases', function: 'admin-api' },
  { method: 'GET', path: '/admin/cases/{caseId}', function: 'admin-api' },
  { method: 'POST', path: '/admin/cases/{caseId}/{action}', function: 'admin-api' },
  { method: 'GET', path: '/admin/policy', function: 'admin-api' },
  { method: 'PUT', path: '/admin/policy', function: 'admin-api' },
  { method: 'POST', path: '/admin/policy/dry-run', function: 'admin-api' },
  { method: 'GET', path: '/admin/summary', function: 'admin-api' },
  { method: 'GET', path: '/admin/notices', function: 'admin-api' },
  { method: 'GET', path: '/admin/templates', function: 'admin-api' },
  { method: 'POST', path: '/admin/templates/{templateId}/preview', function: 'admin-api' },
  { method: 'GET', path: '/admin/dlq', function: 'admin-api' },
  { method: 'POST', path: '/admin/dlq/{queue}/redrive', function: 'admin-api' },
  { method: 'POST', path: '/admin/inbox/{inboxId}/replay', function: 'admin-api' },
  { method: 'GET', path: '/admin/settings', function: 'admin-api' },
  { method: 'PUT', path: '/admin/settings', function: 'admin-api' },
  { method: 'POST', path: '/returns', function: 'customer-api' },
  { method: 'GET', path: '/returns/{caseId}', function: 'customer-api' },
  { method: 'POST', path: '/returns/{caseId}/shipment', function: 'customer-api' },
  { method: 'POST', path: '/returns/{caseId}/cancel', function: 'customer-api' },
  { method: 'GET', path: '/portal/{shopId}/shop', function: 'customer-api' },
  { method: 'GET', path: '/unsubscribe/{token}', function: 'customer-api' },
  { method: 'POST', path: '/unsubscribe/{token}', function: 'customer-api' },
  { method: 'POST', path: '/sms/replies/{shopId}', function: 'customer-api' },
  { method: 'POST', path: '/portal/{shopId}/lookup', function: 'customer-api' },
  { method: 'GET', path: '/admin', function: 'pages' },
  { method: 'GET', path: '/portal/{shopId}', function: 'pages' },
  { method: 'GET', path: '/assets/{file}', function: 'pages' },
  { method: 'GET', path: '/pages/config.json', function: 'pages' },
  { method: 'GET', path: '/openapi.json', function: 'pages' },
];

export const schedules: ScheduleSpec[] = [{ name: 'timer-sweep', function: 'sweep-timers', everyMinutes: 1 }];

export function functionSpec(name: FunctionName): FunctionSpec {
  const spec = functions.find((f) => f.name === name);
  if (!spec) throw new Error(`no function ${name} in the topology`);
  return spec;
}

export interface CorsRule {
  /** Methods a browser may use cross-origin; OPTIONS (the preflight itself) is always answered. */
  allowMethods: RouteSpec['method'][];
  allowHeaders: string[];
  /** How long a browser may cache a preflight answer, seconds. */
  maxAgeSeconds: number;
}

/**
 * The one CORS rule, applied by API Gateway on AWS (infra/stack.ts) and mirrored by the local server
 * (infra/local/http.ts). Origins are configuration, not topology: the admin page's origin, from CDK
 * context `adminOrigin` or AFTERSALE_ADMIN_ORIGIN locally; without one there is no CORS at all.
 */
export const cors: CorsRule = {
  allowMethods: [...new Set(routes.map((r) => r.method))],
  // The admin page sends its token, JSON, and the case version it decided on.
  allowHeaders: ['authorization', 'content-type', 'if-match'],
  maxAgeSeconds: 600,
};
