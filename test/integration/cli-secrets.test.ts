import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectorFor } from '../../functions/adapters/connectors/index.ts';
import type { DynamoShops } from '../../functions/adapters/dynamo/shops.ts';
import { SecretsKeyMissingError } from '../../functions/adapters/secrets/cipher.ts';
import { channelSecretsOf } from '../../functions/app/channels.ts';
import { createDeps } from '../../functions/deps.ts';
import { ingestWebhookHandler } from '../../functions/handlers/ingest-webhook.ts';
import { runCli } from '../../infra/cli/run.ts';
import { signers } from '../../infra/local/signers.ts';
import { writeRuntimeInfo } from '../../infra/local/state.ts';
import type { QueueName } from '../../infra/topology.ts';
import { loadSample } from '../support/requests.ts';
import { useServices } from './env.ts';
import { deliver, webhookEvent } from './pipeline.ts';

/*
 * Secrets at rest with the local key, end to end: the CLI (on what it takes for the running local
 * runtime: this run's DynamoDB Local and fauxqs) seals what it stores, the ingest function opens
 * it with the same data dir's key, and the table item never holds the secret in the clear.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'aftersale-cli-secrets-'));
vi.stubEnv('AFTERSALE_DATA_DIR', dataDir);
const { services, sqs, db, deps, config } = useServices();
// The CLI finds "the running runtime" (this process) and talks to these services.
writeRuntimeInfo(dataDir, {
  pid: process.pid,
  url: 'http://127.0.0.1:3999',
  dynamoEndpoint: services.dynamoEndpoint,
  sqsEndpoint: services.sqsEndpoint,
  tableName: services.tableName,
  queueUrls: services.queueUrls as Record<QueueName, string>,
  dlqUrls: services.dlqUrls as Record<QueueName, string>,
});

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readStdin: async () => '',
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const item = async (shopId: string, connector: string) =>
  (
    await db.client.send(
      new GetCommand({ TableName: db.table, Key: { pk: `SHOP#${shopId}`, sk: `CONN#${connector}` } }),
    )
  ).Item;

/** A Shopify webhook as Shopify signs it, through the ingest function built on the test's deps. */
const shopifyWith = (shopId: string, secret: string, eventId: string) =>
  deliver('shopify', shopId, loadSample('shopify', 'orders-create.json'), {
    secret,
    topic: 'orders/create',
    eventId,
  });

const suffix = Date.now().toString(36);
const shopA = `it-seal-a-${suffix}`;
const shopB = `it-seal-b-${suffix}`;

beforeAll(async () => {
  for (const shop of [shopA, shopB]) expect((await cli('shop', 'add', shop)).code).toBe(0);
});
// Each check reads the shop afresh (the ingest caches it 15 s; a test must not wait that out).
beforeEach(() => (deps.shops as DynamoShops).clearCache());
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('connector secrets sealed with the local key', () => {
  it('stores no plaintext secret, and a webhook signed with it still verifies', async () => {
    const set = await cli('connector', 'set', shopA, 'shopify', '--secret', 'shpss_local_1');
    expect(set.code, set.err).toBe(0);
    expect(set.out).toContain(`its webhooks: POST http://127.0.0.1:3999/webhooks/shopify/${shopA}`);
    const stored = await item(shopA, 'shopify');
    expect(stored?.secrets).toBeUndefined();
    expect(stored?.sealedSecrets).toEqual([expect.stringMatching(/^local:/)]);
    expect(JSON.stringify(stored)).not.toContain('shpss_local_1');
    // Made on first use in the data dir, readable by its owner only.
    expect(statSync(join(dataDir, 'secrets.key')).mode & 0o777).toBe(0o600);

    expect((await shopifyWith(shopA, 'shpss_local_1', 'seal-1')).statusCode).toBe(202);
    (deps.shops as DynamoShops).clearCache();
    expect((await shopifyWith(shopA, 'shpss_wrong', 'seal-2')).statusCode).toBe(401);
  });

  it('rotates: two kept, both verify; a third drops the oldest', async () => {
    await cli('connector', 'set', shopA, 'shopify', '--secret', 'shpss_local_2');
    expect((await item(shopA, 'shopify'))?.sealedSecrets).toHaveLength(2);
    expect((await shopifyWith(shopA, 'shpss_local_2', 'rot-1')).statusCode).toBe(202);
    expect((await shopifyWith(shopA, 'shpss_local_1', 'rot-2')).statusCode).toBe(202);
    // The same secret again is no new entry (and the sealed previous one is kept as it was).
    const before = (await item(shopA, 'shopify'))?.sealedSecrets as string[];
    await cli('connector', 'set', shopA, 'shopify', '--secret', 'shpss_local_2');
    const again = (await item(shopA, 'shopify'))?.sealedSecrets as string[];
    expect(again).toHaveLength(2);
    expect(again[1]).toBe(before[1]);
    await cli('connector', 'set', shopA, 'shopify', '--secret', 'shpss_local_3');
    (deps.shops as DynamoShops).clearCache();
    expect((await shopifyWith(shopA, 'shpss_local_3', 'rot-3')).statusCode).toBe(202);
    (deps.shops as DynamoShops).clearCache();
    expect((await shopifyWith(shopA, 'shpss_local_1', 'rot-4')).statusCode).toBe(401);
  });

  it('reads a plaintext item of an older version as it is, and `secrets seal` seals it', async () => {
    await db.client.send(
      new PutCommand({
        TableName: db.table,
        Item: {
          pk: `SHOP#${shopB}`,
          sk: 'CONN#shopify',
          kind: 'connector',
          secrets: ['legacy-plain-secret'],
          settings: {},
          version: 1,
          updatedAt: new Date().toISOString(),
        },
      }),
    );
    expect((await shopifyWith(shopB, 'legacy-plain-secret', 'legacy-1')).statusCode).toBe(202);
    const sealed = await cli('secrets', 'seal');
    expect(sealed.code, sealed.err).toBe(0);
    expect(sealed.out).toContain(`sealed the shopify secrets of ${shopB}`);
    const stored = await item(shopB, 'shopify');
    expect(stored?.secrets).toBeUndefined();
    expect(stored?.sealedSecrets).toEqual([expect.stringMatching(/^local:/)]);
    expect(stored?.version).toBe(2);
    expect(JSON.stringify(stored)).not.toContain('legacy-plain-secret');
    (deps.shops as DynamoShops).clearCache();
    expect((await shopifyWith(shopB, 'legacy-plain-secret', 'legacy-2')).statusCode).toBe(202);
    expect((await cli('secrets', 'seal')).out).not.toContain(shopB);
  });

  it("does not open a ciphertext copied into another shop's item; that shop's other connectors still work", async () => {
    await cli('connector', 'set', shopB, 'woocommerce', '--secret', 'woo-secret-b');
    const fromA = await item(shopA, 'shopify');
    await db.client.send(
      new PutCommand({
        TableName: db.table,
        Item: { ...(await item(shopB, 'shopify')), sealedSecrets: fromA?.sealedSecrets, version: 3 },
      }),
    );
    (deps.shops as DynamoShops).clearCache();
    const copied = await shopifyWith(shopB, 'shpss_local_3', 'copied-1');
    expect(copied.statusCode).toBe(500);
    const woo = signers.woocommerce!(loadSample('woocommerce', 'order-created.json'), {
      secret: 'woo-secret-b',
      topic: 'order.created',
      eventId: 'woo-b-1',
    });
    const ingest = ingestWebhookHandler(deps) as unknown as (
      e: APIGatewayProxyEventV2,
      c: object,
    ) => Promise<{ statusCode: number }>;
    expect((await ingest(webhookEvent('woocommerce', shopB, woo.body, woo.headers), {})).statusCode).toBe(
      202,
    );
    // Setting it again (what the error tells the operator) makes it work.
    await cli('connector', 'set', shopB, 'shopify', '--secret', 'shopify-secret-b');
    (deps.shops as DynamoShops).clearCache();
    expect((await shopifyWith(shopB, 'shopify-secret-b', 'copied-2')).statusCode).toBe(202);
  });

  it('a function without the key loads the shop and its settings, and fails loudly only if it asks for a secret', async () => {
    const { secretsKey: _key, ...keyless } = config;
    const noKey = createDeps(keyless, { dynamo: db.client, sqs, connectors: connectorFor });
    const loaded = await noKey.shops.load(shopA);
    expect(loaded?.shop.shopId).toBe(shopA);
    expect(loaded?.connectors.get('shopify')?.settings).toEqual({});
    expect(() => loaded?.connectors.get('shopify')?.secrets).toThrow(SecretsKeyMissingError);
    const ingest = ingestWebhookHandler(noKey) as unknown as (
      e: APIGatewayProxyEventV2,
      c: object,
    ) => Promise<{ statusCode: number }>;
    const signed = signers.shopify!(loadSample('shopify', 'orders-create.json'), {
      secret: 'shpss_local_3',
      topic: 'orders/create',
      eventId: 'nokey-1',
    });
    // A 500 (retried by the provider, logged with the reason), not a 401 that blames the sender.
    expect((await ingest(webhookEvent('shopify', shopA, signed.body, signed.headers), {})).statusCode).toBe(
      500,
    );
    await expect(
      noKey.shops.setConnector(shopA, 'shopify', { secret: 'x', settings: {} }, 'now'),
    ).rejects.toThrow(SecretsKeyMissingError);
  });

  it('seals channel secrets set with `channel secret`, which the channels get opened', async () => {
    const set = await cli('channel', 'secret', shopA, 'smtp', '--secret', 'smtp-password-1');
    expect(set.code, set.err).toBe(0);
    const stored = await item(shopA, 'channel-smtp');
    expect(JSON.stringify(stored)).not.toContain('smtp-password-1');
    const loaded = await deps.shops.load(shopA);
    expect(channelSecretsOf(loaded!.connectors).smtpPassword).toBe('smtp-password-1');
    expect((await cli('channel', 'secret', shopA, 'fax', '--secret', 'x')).code).toBe(2);
  });
});
