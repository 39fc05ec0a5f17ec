import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { signers } from '../../infra/local/signers.ts';
import { loadSample } from '../support/requests.ts';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'aftersale-e2e-'));
let runtime: LocalRuntime;

/** The real CLI, as a user runs it, against this test's runtime. */
async function cli(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [join(root, 'bin', 'aftersale.mjs'), ...args], {
    env: { ...process.env, AFTERSALE_DATA_DIR: dataDir },
    cwd: root,
  });
  return stdout.trim();
}

async function post(path: string, body: Buffer, headers: Record<string, string>) {
  const res = await fetch(`${runtime.url}${path}`, { method: 'POST', body, headers });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function get(path: string, token?: string) {
  const res = await fetch(`${runtime.url}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field.
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const secret = 'e2e-secret';
const orderBody = loadSample('generic', 'order-placed.json');
const signed = (body: Buffer, eventId: string) => signers.generic!(body, { secret, eventId });

describe('the local runtime, end to end over HTTP', () => {
  let token: string;

  beforeAll(async () => {
    const started = Date.now();
    runtime = await startLocalRuntime({
      dataDir,
      inMemory: true,
      port: 0,
      retryDelaySeconds: 1,
      scheduleIntervalMs: 1000,
    });
    console.log(`local runtime ready in ${Date.now() - started} ms`);
    expect(await cli('shop', 'add', 'e2e-shop', '--name', 'E2E Shop')).toMatch(/shop e2e-shop saved/);
    const saved = await cli('connector', 'set', 'e2e-shop', 'generic', '--secret', secret);
    expect(saved).not.toContain(secret);
    token = await cli('token', '--shop', 'e2e-shop', '--role', 'staff');
  });

  afterAll(async () => {
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /health', async () => {
    expect(await get('/health')).toEqual({ status: 200, json: { ok: true, service: 'aftersale' } });
  });

  it('turns a signed webhook into an order the admin API shows, and ignores the same event id again', async () => {
    const { body, headers } = signed(orderBody, 'evt-order-1');
    const accepted = await post('/webhooks/generic/e2e-shop', body, headers);
    expect(accepted.status).toBe(202);

    const view = await eventually(async () => {
      const res = await get('/admin/orders/820982911946154508', token);
      return res.status === 200 ? res.json : undefined;
    }, 'the order to appear');
    expect(view.order).toMatchObject({
      orderId: '820982911946154508',
      status: 'placed',
      number: '#1001',
      version: 1,
    });
    expect(view.order.customer.emailMasked).toBe('l***@example.com');
    expect(JSON.stringify(view)).not.toContain('Li.Lei@Example.com');

    const duplicate = await post('/webhooks/generic/e2e-shop', body, headers);
    expect(duplicate).toEqual({ status: 200, json: { duplicate: true, inboxId: accepted.json.inboxId } });
    await new Promise((r) => setTimeout(r, 1000));
    expect((await get('/admin/orders/820982911946154508', token)).json.order.version).toBe(1);

    const byNumber = await get('/admin/orders?number=1001', token);
    expect(byNumber.json.orders[0].order.orderId).toBe('820982911946154508');

    // A clerk finds the buyer by the phone they call from, written any way (hash index lookup).
    const byPhone = await get('/admin/customers?phone=138-0013-8000', token);
    expect(byPhone.json.customers).toHaveLength(1);
    expect(byPhone.json.customers[0]).toMatchObject({
      customerId: 'generic-cust-42',
      phoneMasked: '+86138****8000',
      orderIds: ['generic:820982911946154508'],
    });
    expect(JSON.stringify(byPhone.json)).not.toContain('13800138000');
    const byEmail = await get('/admin/customers?email=LI.LEI@example.com', token);
    expect(byEmail.json.customers[0].emailMasked).toBe('l***@example.com');
  });

  it('keeps a Shopify order apart from a generic one with the same id, and asks which is meant', async () => {
    await cli('connector', 'set', 'e2e-shop', 'shopify', '--secret', secret);
    const shopify = signers.shopify!(loadSample('shopify', 'orders-create.json'), {
      secret,
      topic: 'orders/create',
      eventId: 'shopify-create-1',
    });
    expect((await post('/webhooks/shopify/e2e-shop', shopify.body, shopify.headers)).status).toBe(202);
    const ambiguous = await eventually(async () => {
      const res = await get('/admin/orders/820982911946154508', token);
      return res.status === 409 ? res.json : undefined;
    }, 'both orders to exist');
    expect(ambiguous.error).toMatchObject({ code: 'ambiguous_order' });
    expect(ambiguous.error.message).toMatch(/generic and shopify|shopify and generic/);
    const fromShopify = await get('/admin/orders/820982911946154508?provider=shopify', token);
    expect(fromShopify.json.order).toMatchObject({ provider: 'shopify', number: '#9999' });
    const fromGeneric = await get('/admin/orders/820982911946154508?provider=generic', token);
    expect(fromGeneric.json.order).toMatchObject({ provider: 'generic', number: '#1001' });
  });

  it('refuses a bad signature (401), an oversize body (413), a missing token (401) and another shop (404)', async () => {
    const { body, headers } = signed(orderBody, 'evt-bad');
    const bad = await post('/webhooks/generic/e2e-shop', body, {
      ...headers,
      'x-aftersale-signature': 'sha256=00',
    });
    expect(bad).toMatchObject({ status: 401, json: { error: { code: 'invalid_signature' } } });

    const big = signed(Buffer.alloc(300 * 1024, 'a'), 'evt-big');
    expect(await post('/webhooks/generic/e2e-shop', big.body, big.headers)).toMatchObject({
      status: 413,
      json: { error: { code: 'payload_too_large' } },
    });

    expect(await get('/admin/orders/820982911946154508')).toMatchObject({
      status: 401,
      json: { error: { code: 'unauthorized' } },
    });
    const otherShop = await cli('token', '--shop', 'other-shop', '--role', 'manager');
    expect(await get('/admin/orders/820982911946154508', otherShop)).toMatchObject({
      status: 404,
      json: { error: { code: 'not_found' } },
    });
  });

  it('keeps a signed but unparseable body as a failed inbox item that can be replayed', async () => {
    const { body, headers } = signed(Buffer.from('{"type":"OrderPlaced","orderId":"x"'), 'evt-broken');
    const accepted = await post('/webhooks/generic/e2e-shop', body, headers);
    expect(accepted.status).toBe(202);
    const inboxId = String(accepted.json.inboxId);
    const listed = await eventually(async () => {
      const out = await cli('inbox', 'list', 'e2e-shop', '--status', 'failed');
      return out.includes(inboxId) ? out : undefined;
    }, 'the failed inbox item');
    expect(listed).toMatch(/not valid JSON/);
    const viaApi = await get('/admin/inbox?status=failed', token);
    expect(viaApi.json.items.map((i: { inboxId: string }) => i.inboxId)).toContain(inboxId);

    expect(await cli('inbox', 'replay', 'e2e-shop', inboxId)).toMatch(/queued again \(was failed\)/);
    // Still broken (nothing was fixed), so it fails again: attempts go up, nothing is lost.
    await eventually(async () => {
      const res = await get('/admin/inbox?status=failed', token);
      const item = res.json.items.find((i: { inboxId: string }) => i.inboxId === inboxId);
      return item && item.attempts >= 2 ? item : undefined;
    }, 'the replayed item to be processed again');
  });

  it('moves a message that keeps failing to the DLQ after 5 receives, and redrives it once fixable', async () => {
    const sqs = new SQSClient({
      endpoint: runtime.sqsEndpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    // An event for a shop that does not exist yet fails on every delivery.
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: runtime.queueUrls.inbound,
        MessageBody: JSON.stringify({
          kind: 'event',
          shopId: 'late-shop',
          event: {
            type: 'OrderPlaced',
            eventId: 'late-1',
            provider: 'generic',
            orderId: 'L-1',
            occurredAt: '2026-11-20T08:00:00.000Z',
            order: { number: 'L-1' },
          },
        }),
      }),
    );
    sqs.destroy();
    await eventually(
      async () =>
        (await cli('dlq', 'list', 'inbound')).includes('inbound-dlq: 1 message') ? true : undefined,
      'the poison message in the DLQ',
      30_000,
    );

    await cli('shop', 'add', 'late-shop');
    expect(await cli('dlq', 'redrive', 'inbound')).toMatch(/inbound: 1 message\(s\) moved back/);
    const lateToken = await cli('token', '--shop', 'late-shop', '--role', 'staff');
    const view = await eventually(async () => {
      const res = await get('/admin/orders/L-1', lateToken);
      return res.status === 200 ? res.json : undefined;
    }, 'the redriven order');
    expect(view.order.orderId).toBe('L-1');
  });

  it('tells the customer of each milestone once, in their language, in the outbox and the notice log', async () => {
    // A shop writing in English to a customer with only an email: transactional email has no
    // quiet hours, so the test holds at any time of day.
    expect(await cli('shop', 'add', 'e2e-notify', '--name', 'Northwind Tea', '--locale', 'en')).toMatch(
      /saved/,
    );
    await cli('connector', 'set', 'e2e-notify', 'generic', '--secret', secret);
    const now = Date.now();
    const iso = (minutes: number) => new Date(now + minutes * 60_000).toISOString();
    const events = [
      {
        type: 'OrderPlaced',
        orderId: 'N-1',
        occurredAt: iso(-60),
        order: {
          number: '#N1',
          currency: 'USD',
          placedAt: iso(-60),
          providerStatus: 'paid',
          customer: { externalId: 'ann', email: 'ann@example.com', name: 'Ann' },
          lines: [{ lineId: '1', sku: 'TEA', title: 'Sencha', quantity: 1, unitPrice: 1500, total: 1500 }],
          totals: { subtotal: 1500, shipping: 0, tax: 0, discount: 0, total: 1500 },
        },
      },
      {
        type: 'ShipmentCreated',
        orderId: 'N-1',
        occurredAt: iso(-50),
        carrier: 'ups',
        trackingNumber: '1Z999AA10123456784',
        shippedAt: iso(-50),
      },
      ...(['in_transit', 'in_transit', 'out_for_delivery', 'delivered'] as const).map((status, i) => ({
        type: 'TrackingUpdated',
        carrier: 'ups',
        trackingNumber: '1Z999AA10123456784',
        status,
        occurredAt: iso(-40 + i * 10),
        checkpoints: [{ at: iso(-40 + i * 10), status, message: status }],
      })),
    ];
    let n = 0;
    for (const event of events) {
      const { body, headers } = signed(Buffer.from(JSON.stringify(event)), `evt-notify-${n++}`);
      expect((await post('/webhooks/generic/e2e-notify', body, headers)).status).toBe(202);
      // In order, as a carrier would send them; each applied before the next arrives.
      await new Promise((r) => setTimeout(r, 300));
    }
    const expected = [
      'order.confirmed',
      'shipment.shipped',
      'shipment.out_for_delivery',
      'shipment.delivered',
    ];
    const staff = await cli('token', '--shop', 'e2e-notify', '--role', 'staff');
    const log = await eventually(async () => {
      const res = await get('/admin/notices?limit=50', staff);
      const sent = (res.json.notices ?? res.json.items ?? []) as Array<{ template: string; status: string }>;
      return sent.filter((x) => x.status === 'sent').length >= expected.length ? sent : undefined;
    }, 'four notices sent');
    expect(log.map((x) => x.template).sort()).toEqual([...expected].sort());

    const tail = await cli('outbox', 'tail', '--shop', 'e2e-notify');
    const heads = tail.split('\n').filter((line) => line.startsWith('── '));
    // `── <when>  <shop>  <channel> to <masked>  <template> (<locale>)  <id>`
    // Exactly these, each once (seconds apart here, so the workers may send them in any order).
    const listed = heads.map((line) => line.split(/\s+/).slice(-3, -1));
    expect(listed.sort()).toEqual(expected.map((t) => [t, '(en)']).sort());
    expect(heads.every((line) => line.includes('email to a***@example.com'))).toBe(true);
    expect(tail).not.toContain('ann@example.com');
    expect(tail).toContain('Hi Ann');
    expect(tail).toMatch(/1Z999AA10123456784/);
    expect(tail).not.toMatch(/[\u4e00-\u9fff]/); // English throughout: the shop's locale
  });
});

describe('the local runtime across restarts', () => {
  it('keeps its data on disk: a second start still has the shop and the order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aftersale-restart-'));
    try {
      const first = await startLocalRuntime({ dataDir: dir, port: 0 });
      const now = new Date().toISOString();
      await first.deps.shops.put({ shopId: 'restart-shop' }, now);
      await first.deps.shops.setConnector('restart-shop', 'generic', { secret, settings: {} }, now);
      const { body, headers } = signed(orderBody, 'restart-1');
      const res = await fetch(`${first.url}/webhooks/generic/restart-shop`, {
        method: 'POST',
        body,
        headers,
      });
      expect(res.status).toBe(202);
      const { signLocalToken } = await import('../../infra/local/tokens.ts');
      const token = await signLocalToken(first.jwtKey, { shopId: 'restart-shop', role: 'staff' });
      const view = (url: string) =>
        fetch(`${url}/admin/orders/820982911946154508`, { headers: { authorization: `Bearer ${token}` } });
      await eventually(async () => ((await view(first.url)).status === 200 ? true : undefined), 'the order');
      await first.stop();

      const second = await startLocalRuntime({ dataDir: dir, port: 0 });
      try {
        expect(second.jwtKey).toBe(first.jwtKey); // tokens stay valid across restarts
        expect((await view(second.url)).status).toBe(200);
        const again = await fetch(`${second.url}/webhooks/generic/restart-shop`, {
          method: 'POST',
          body,
          headers,
        });
        expect(again.status).toBe(200); // the dedupe record survived too
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
