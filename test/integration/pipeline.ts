import type { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, SQSRecord } from 'aws-lambda';
import { shopChannels } from '../../functions/adapters/channels/index.ts';
import type { AppDeps } from '../../functions/app/ports.ts';
import { processInbound } from '../../functions/app/process-inbound.ts';
import { type SendNoticeDeps, sendNotice } from '../../functions/app/send-notice.ts';
import { adminApiHandler } from '../../functions/handlers/admin-api.ts';
import { ingestWebhookHandler } from '../../functions/handlers/ingest-webhook.ts';
import { receiveCountOf } from '../../functions/lib/batch.ts';
import type { Config } from '../../functions/lib/config.ts';
import { type SignOptions, signers } from '../../infra/local/signers.ts';
import { InboundMessage, NotificationMessage } from '../../schemas/messages.ts';
import { checkResponse } from '../support/openapi.ts';
import { drain, testDeps } from './env.ts';

/** An API Gateway v2 event for a webhook POST, as the gateway (or the local runtime) builds it. */
export function webhookEvent(
  provider: string,
  shopId: string,
  body: Buffer,
  headers: Record<string, string>,
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/{provider}/{shopId}',
    rawPath: `/webhooks/${provider}/${shopId}`,
    rawQueryString: '',
    headers,
    pathParameters: { provider, shopId },
    requestContext: {
      accountId: 'it',
      apiId: 'it',
      domainName: 'localhost',
      domainPrefix: 'it',
      http: {
        method: 'POST',
        path: `/webhooks/${provider}/${shopId}`,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'it',
      },
      requestId: 'it',
      routeKey: 'POST /webhooks/{provider}/{shopId}',
      stage: '$default',
      time: '',
      timeEpoch: 0,
    },
    body: body.toString('base64'),
    isBase64Encoded: true,
  };
}

type Ingest = (
  event: APIGatewayProxyEventV2,
  context: object,
) => Promise<{ statusCode: number; body: string }>;
// Handlers as the entry files build them, from this test file's dependencies (one per deps object).
const built = new WeakMap<AppDeps, { ingest: Ingest; admin: Admin }>();
function handlers() {
  const { deps, config } = testDeps();
  let h = built.get(deps);
  if (!h) {
    h = {
      ingest: ingestWebhookHandler(deps) as unknown as Ingest,
      admin: adminApiHandler(deps, (config as Config).adminJwt!) as unknown as Admin,
    };
    built.set(deps, h);
  }
  return h;
}

// middy's handler also wants a Lambda context, which the ingest function does not read.
const invokeIngest = (event: APIGatewayProxyEventV2) => handlers().ingest(event, {});

/** One inbound record through process-inbound, as the process-event handler runs it. */
export function processRecord(record: SQSRecord): Promise<void> {
  return processInbound(testDeps().deps, InboundMessage.parse(JSON.parse(record.body)), {
    receiveCount: receiveCountOf(record),
  });
}

/** Signs a sample as its provider would and posts it to the ingest function. */
export async function deliver(provider: string, shopId: string, body: Buffer, options: SignOptions) {
  const signed = signers[provider]!(body, options);
  return invokeIngest(webhookEvent(provider, shopId, signed.body, signed.headers));
}

export async function deliverRaw(
  provider: string,
  shopId: string,
  body: Buffer,
  headers: Record<string, string>,
) {
  return invokeIngest(webhookEvent(provider, shopId, body, headers));
}

/** The public URL links in messages use in these tests. */
export const TEST_PUBLIC_URL = 'https://aftersale.test';

/** send-notification's dependencies on the test table: every channel is the outbox. */
export function senderDeps(): SendNoticeDeps {
  const { deps, config } = testDeps();
  return {
    ...deps,
    channels: shopChannels(deps),
    links: { publicUrl: TEST_PUBLIC_URL, tokenSecret: config.customerTokenSecret! },
  };
}

/**
 * Runs the workers until the queues are quiet: inbound records through process-event (which may
 * enqueue follow-on events), notifications through send-notification.
 */
export async function pump(sqs: SQSClient, queueUrls: Record<string, string>): Promise<void> {
  for (let round = 0; round < 20; round++) {
    const inbound = await drain(sqs, queueUrls.inbound!);
    for (const record of inbound) await processRecord(record);
    const notices = await drain(sqs, queueUrls.notifications!);
    for (const record of notices) {
      await sendNotice(senderDeps(), NotificationMessage.parse(JSON.parse(record.body)));
    }
    if (inbound.length === 0 && notices.length === 0) return;
  }
  throw new Error('queues did not settle after 20 rounds');
}

type Admin = (
  event: APIGatewayProxyEventV2,
  context: object,
) => Promise<{ statusCode: number; body: string }>;

/** Calls the admin API handler as API Gateway would, with a Bearer token. */
export async function admin(
  token: string,
  routeKey: string,
  path: Record<string, string> = {},
  query: Record<string, string> = {},
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field or parsed by views.
): Promise<{ status: number; json: any }> {
  const event = {
    version: '2.0',
    routeKey,
    rawPath: '/admin',
    rawQueryString: '',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(body !== undefined && { body: JSON.stringify(body) }),
    ...(Object.keys(path).length && { pathParameters: path }),
    ...(Object.keys(query).length && { queryStringParameters: query }),
    requestContext: { requestId: 'it', http: { method: 'GET', path: '/admin' } },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  const res = await handlers().admin(event, {});
  const json = JSON.parse(res.body);
  // Every response a test gets is also checked against the OpenAPI document.
  const [method, template] = routeKey.split(' ') as [string, string];
  checkResponse(method, template, res.statusCode, json);
  return { status: res.statusCode, json };
}
