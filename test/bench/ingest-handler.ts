import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { loadHandler } from '../../infra/local/lambda.ts';
import { signers } from '../../infra/local/signers.ts';
import { LOCAL_REGION, LOCAL_TABLE } from '../../infra/local/state.ts';
import { compareSides, type IngestResult, orderBody, timed } from './ingest.ts';
import type { IngestTarget } from './ingest-stack.ts';
import { printTable } from './table.ts';

/*
 * Ingest latency as Lambda bills it: the API Gateway event handed to the real ingest-webhook
 * handler in this process (the module the stack deploys, loaded as the local runtime loads it),
 * against a floor handler given the same event that does only the unavoidable work with the raw
 * SDK: verify the HMAC, one conditional PutItem of the body, one SendMessage. No HTTP on either
 * side: on AWS the gateway reads the request and builds the event outside the function, and the
 * local stand-in that does it here (infra/local/http.ts) is not what is being measured.
 */
const SECRET = 'bench-secret';
const SHOP = 'bench-shop-handler';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<{ statusCode: number }>;

const context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'aftersale-ingest-webhook',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:aftersale-ingest-webhook',
  memoryLimitInMB: '512',
  awsRequestId: 'bench',
  logGroupName: '/aws/lambda/aftersale-ingest-webhook',
  logStreamName: 'bench',
  getRemainingTimeInMillis: () => 5_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} satisfies Context;

let sequence = 0;

/** A signed generic webhook as the HTTP API (payload v2) hands it to the function. */
function webhookEvent(): APIGatewayProxyEventV2 {
  const i = sequence++;
  const { body, headers } = signers.generic!(orderBody(i), { secret: SECRET, eventId: `bench-h-${i}` });
  const path = `/webhooks/generic/${SHOP}`;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/{provider}/{shopId}',
    rawPath: path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...lower },
    pathParameters: { provider: 'generic', shopId: SHOP },
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'local',
      http: { method: 'POST', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId: `bench-${i}`,
      routeKey: 'POST /webhooks/{provider}/{shopId}',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    body: body.toString('utf8'),
    isBase64Encoded: false,
  };
}

async function floorHandler(target: IngestTarget): Promise<{ handler: Handler; stop(): void }> {
  const dynamo = new DynamoDBClient({ endpoint: target.dynamoEndpoint, region: LOCAL_REGION, credentials });
  const sqs = new SQSClient({ endpoint: target.sqsEndpoint, region: LOCAL_REGION, credentials });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'bench-floor-handler' }));
  const handler: Handler = async (event) => {
    const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    const given = Buffer.from(event.headers['x-aftersale-signature'] ?? '');
    const wanted = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`);
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return { statusCode: 401 };
    const eventId = String(event.headers['x-aftersale-event-id']);
    try {
      await dynamo.send(
        new PutItemCommand({
          TableName: LOCAL_TABLE,
          Item: { pk: { S: `BENCHFLOOR#${eventId}` }, sk: { S: 'INBOX' }, body: { B: body } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify({ eventId }) }));
      return { statusCode: 202 };
    } catch (err) {
      return { statusCode: err instanceof ConditionalCheckFailedException ? 200 : 500 };
    }
  };
  return {
    handler,
    stop: () => {
      dynamo.destroy();
      sqs.destroy();
    },
  };
}

/** `count` events through `handler` with `inFlight` at once; latencies in ms; answers other than 202 counted. */
function drive(handler: Handler, count: number, inFlight: number, into: number[]): Promise<number> {
  return timed(count, inFlight, into, () => {
    const event = webhookEvent();
    return async () => (await handler(event, context)).statusCode;
  });
}

/**
 * The judged ingest measurement: `n` events each side at 1 and 16 in flight, in `rounds`
 * alternating blocks (real, floor, floor, real, ...) so that both see the same machine.
 */
export async function benchIngestHandler(
  target: IngestTarget,
  n: number,
  rounds: number,
): Promise<IngestResult[]> {
  const now = new Date().toISOString();
  await target.deps.shops.put({ shopId: SHOP }, now);
  await target.deps.shops.setConnector(SHOP, 'generic', { secret: SECRET, settings: {} }, now);
  const real = (await loadHandler('ingest-webhook')) as unknown as Handler;
  const floor = await floorHandler(target);
  const results: IngestResult[] = [];
  const rows: string[][] = [];
  let failures = 0;
  try {
    // Warm both (the shop cache, connections, the JIT) before anything is measured.
    failures += await drive(real, 40, 4, []);
    failures += await drive(floor.handler, 40, 4, []);
    const compared = await compareSides(
      (count, inFlight, into) => drive(real, count, inFlight, into),
      (count, inFlight, into) => drive(floor.handler, count, inFlight, into),
      n,
      rounds,
    );
    results.push(...compared.results);
    rows.push(...compared.rows);
    failures += compared.failures;
  } finally {
    floor.stop();
  }
  printTable(
    'Ingest latency, the handler in process (as Lambda bills it): API Gateway event to ingest-webhook vs a floor handler (HMAC + conditional PutItem + SendMessage, raw SDK)',
    ['in flight', 'n', 'p50', 'floor p50', 'ratio', 'p99', 'floor p99', 'ratio', 'target', ''],
    rows,
  );
  if (failures) throw new Error(`${failures} events were not answered 202`);
  return results;
}
