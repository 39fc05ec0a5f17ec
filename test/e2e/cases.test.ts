import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacSha256 } from '../../functions/lib/crypto.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { signers } from '../../infra/local/signers.ts';
import { CaseDetailView, CustomerCaseView, IntakeView, OrderDetailView } from '../../schemas/views.ts';
import { checkResponse } from '../support/openapi.ts';
import { loadSample } from '../support/requests.ts';

/*
 * The after-sale loop as a new user meets it, over HTTP on the local runtime: Shopify and AfterShip
 * webhooks build a delivered order; its customer files returns on the public API; a clerk decides
 * on the admin API; carrier pushes move the return parcel; the shop's own system receives the
 * outbound events on a local HTTPS-less receiver (loopback http is allowed for testing).
 */

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'aftersale-cases-'));
const SHOP = 'case-shop';
const SECRET = 'cases-e2e-secret';
const OUTBOUND_SECRET = 'outbound-e2e-secret-0123456789';
const ORDER = '820982911946154508';
const SUNGLASSES = '487817672276298554';
const LOUNGER = '976318377106520349';
const TABLE = '315789986012684393';
const PROTECTION = '789012345678901234';
let runtime: LocalRuntime;
let staffToken: string;
let managerToken: string;

async function cli(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [join(root, 'bin', 'aftersale.mjs'), ...args], {
    env: { ...process.env, AFTERSALE_DATA_DIR: dataDir },
    cwd: root,
  });
  return stdout.trim();
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are parsed by their views or read field by field.
type Json = any;

async function call(
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${runtime.url}${path}`, {
    method,
    headers: {
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(token && { authorization: `Bearer ${token}` }),
      ...headers,
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Json;
  // Every response is also checked against the OpenAPI document the API serves.
  checkResponse(method, path, res.status, json);
  return { status: res.status, json };
}

async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function webhook(provider: string, body: Buffer, options: { topic?: string; eventId?: string } = {}) {
  const signed = signers[provider]!(body, { secret: SECRET, ...options });
  const res = await fetch(`${runtime.url}/webhooks/${provider}/${SHOP}`, {
    method: 'POST',
    body: signed.body,
    headers: signed.headers,
  });
  expect(res.status, `${provider} ${options.topic ?? ''}`).toBeLessThan(300);
}

/** An AfterShip push about another parcel, happening now: the sample with its number and times changed. */
function aftershipPush(
  sample: 'tracking-update-in-transit.json' | 'delivered-to-neighbour.json',
  tracking: string,
) {
  const body = JSON.parse(loadSample('aftership', sample).toString('utf8'));
  body.event_id = `${sample}-${tracking}`;
  body.msg.tracking_number = tracking;
  body.msg.title = tracking;
  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString().slice(0, 19);
  body.msg.checkpoints = body.msg.checkpoints.map(
    (c: Record<string, unknown>, i: number, all: unknown[]) => ({
      ...c,
      checkpoint_time: at(all.length - i),
      created_at: `${at(all.length - i)}+00:00`,
    }),
  );
  for (const key of ['created_at', 'updated_at', 'last_updated_at']) body.msg[key] = `${at(0)}+00:00`;
  if (body.msg.shipment_delivery_date) body.msg.shipment_delivery_date = at(1);
  return Buffer.from(JSON.stringify(body));
}

/** The shop's own system: receives the outbound events and checks their signature. */
const received: Array<{ id: string; type: string; signed: boolean; body: Json }> = [];
let receiver: Server;

async function caseOf(caseId: string) {
  const res = await call('GET', `/admin/cases/${caseId}`, undefined, staffToken);
  expect(res.status).toBe(200);
  return CaseDetailView.parse(res.json).case;
}

async function act(caseId: string, action: string, body: Record<string, unknown>, token = staffToken) {
  const version = (await caseOf(caseId)).version;
  return call('POST', `/admin/cases/${caseId}/${action}`, { version, ...body }, token);
}

describe('after-sale cases, from request to resolution, over HTTP', () => {
  let deliveredAt: string;
  const daysSinceDelivery = () => Math.floor((Date.now() - Date.parse(deliveredAt)) / 86_400_000);
  const policy = (days: number) => ({
    window: { days, from: 'delivery', endsAt: 'same_time' },
    exclusions: { skus: ['LENS-PROTECT-*'] },
    rules: [
      {
        id: 'small-changed-mind',
        when: {
          any: [
            { field: 'reasons', op: 'includes', value: 'changed_mind' },
            { field: 'reasons', op: 'includes', value: 'size_too_small' },
          ],
        },
        action: 'approve',
      },
    ],
    defaultAction: 'review',
  });

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        received.push({
          id: String(req.headers['x-aftersale-event-id']),
          type: String(req.headers['x-aftersale-event-type']),
          signed:
            req.headers['x-aftersale-signature'] === `sha256=${hmacSha256(OUTBOUND_SECRET, body, 'hex')}`,
          body: JSON.parse(body.toString('utf8')),
        });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as { port: number }).port;

    runtime = await startLocalRuntime({
      dataDir,
      inMemory: true,
      port: 0,
      retryDelaySeconds: 1,
      scheduleIntervalMs: 1000,
    });
    await cli('shop', 'add', SHOP, '--name', 'Case Shop', '--locale', 'en', '--timezone', 'America/New_York');
    for (const provider of ['shopify', 'aftership', 'taobao'])
      await cli('connector', 'set', SHOP, provider, '--secret', SECRET);
    await cli(
      'outbound',
      'set',
      SHOP,
      '--url',
      `http://127.0.0.1:${port}/aftersale`,
      '--secret',
      OUTBOUND_SECRET,
    );
    staffToken = await cli('token', '--shop', SHOP, '--role', 'staff');
    managerToken = await cli('token', '--shop', SHOP, '--role', 'manager');

    // A Shopify order, fulfilled with UPS, delivered according to AfterShip.
    // Shopify's sample order was cancelled and voided; this one was paid and kept.
    const created = loadSample('shopify', 'orders-create.json')
      .toString('utf8')
      .replace('"cancel_reason": "customer"', '"cancel_reason": null')
      .replace('"cancelled_at": "2021-12-31T19:00:00-05:00"', '"cancelled_at": null')
      .replace('"financial_status": "voided"', '"financial_status": "paid"');
    await webhook('shopify', Buffer.from(created), { topic: 'orders/create', eventId: 'c-create' });
    await webhook('shopify', loadSample('shopify', 'fulfillments-create.json'), {
      topic: 'fulfillments/create',
      eventId: 'c-fulfil',
    });
    const delivered = JSON.parse(loadSample('aftership', 'delivered-to-neighbour.json').toString('utf8'));
    delivered.msg.tracking_number = '1Z827WK74630';
    await webhook('aftership', Buffer.from(JSON.stringify(delivered)));
    const order = await eventually(async () => {
      const res = await call('GET', `/admin/orders/${ORDER}`, undefined, staffToken);
      const view = res.status === 200 ? OrderDetailView.parse(res.json) : undefined;
      return view?.order.deliveredAt ? view : undefined;
    }, 'the order to be delivered');
    deliveredAt = order.order.deliveredAt!;
  }, 120_000);

  afterAll(async () => {
    await runtime?.stop();
    await new Promise((r) => receiver?.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  });

  let approvedCase: string;
  let customerToken: string;

  it('gives a customer an instant decision with its trace, inside the window', async () => {
    const published = await call('PUT', '/admin/policy', policy(daysSinceDelivery() + 30), managerToken);
    expect(published).toMatchObject({ status: 200, json: { version: 1 } });
    const request = {
      shopId: SHOP,
      orderNumber: '#9999',
      email: 'JON@example.com',
      type: 'return_refund',
      lines: [{ lineId: SUNGLASSES, quantity: 1, reason: 'changed_mind' }],
      resolution: 'original_payment',
    };
    const res = await call('POST', '/returns', request);
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    const intake = IntakeView.parse(res.json);
    expect(intake).toMatchObject({
      status: 'awaiting_return',
      decision: { action: 'approve', rule: 'small-changed-mind' },
    });
    approvedCase = intake.caseId;
    customerToken = intake.customerToken;
    // The same request again is the same case, not a second one.
    const again = await call('POST', '/returns', request);
    expect(again.status).toBe(200);
    expect(again.json.caseId).toBe(approvedCase);

    const staffView = await caseOf(approvedCase);
    expect(staffView.policy).toMatchObject({ version: 1, action: 'approve', rule: 'small-changed-mind' });
    expect(staffView.policy!.trace.length).toBeGreaterThan(0);
    const page = await call('GET', `/returns/${approvedCase}`, undefined, customerToken);
    const mine = CustomerCaseView.parse(page.json);
    expect(mine.returnInstructions).toMatchObject({ rma: staffView.number, postagePaidBy: 'buyer' });
    expect(mine.returnInstructions!.returnBy).toBeDefined();
    expect(mine.actions).toEqual(['register_return', 'cancel']);
    // The token opens this case and nothing else.
    expect((await call('GET', `/returns/${approvedCase}`, undefined, staffToken)).status).toBe(401);
    expect((await call('GET', `/admin/cases/${approvedCase}`, undefined, customerToken)).status).toBe(401);
  });

  it('answers 404 alike for a wrong contact and an unknown order, and 422 for an excluded item', async () => {
    const base = {
      shopId: SHOP,
      type: 'return_refund',
      lines: [{ lineId: LOUNGER, quantity: 1, reason: 'changed_mind' }],
    };
    const wrongContact = await call('POST', '/returns', {
      ...base,
      orderNumber: '#9999',
      email: 'someone@example.com',
    });
    const noOrder = await call('POST', '/returns', {
      ...base,
      orderNumber: '#12345',
      email: 'jon@example.com',
    });
    expect(wrongContact.status).toBe(404);
    expect(noOrder.json).toEqual(wrongContact.json);
    const excluded = await call('POST', '/returns', {
      ...base,
      orderNumber: '9999',
      email: 'jon@example.com',
      lines: [{ lineId: PROTECTION, quantity: 1, reason: 'changed_mind' }],
    });
    expect(excluded).toMatchObject({ status: 422, json: { error: { code: 'not_returnable' } } });
    const tooMany = await call('POST', '/returns', {
      ...base,
      orderNumber: '9999',
      email: 'jon@example.com',
      lines: [{ lineId: SUNGLASSES, quantity: 1, reason: 'size_too_small' }],
    });
    expect(tooMany).toMatchObject({ status: 422, json: { error: { code: 'quantity_exceeds_purchased' } } });
  });

  it('reports what a stricter policy would change, then refuses outside its window', async () => {
    const stricter = policy(Math.max(1, daysSinceDelivery() - 5));
    const dry = await call('POST', '/admin/policy/dry-run', { policy: stricter, days: 30 }, staffToken);
    expect(dry.status).toBe(200);
    expect(dry.json.changed).toBeGreaterThanOrEqual(1);
    expect(dry.json.changes.map((c: Json) => c.caseId)).toContain(approvedCase);
    expect(dry.json.changes.find((c: Json) => c.caseId === approvedCase)).toMatchObject({
      from: 'approve',
      to: 'refused',
      codesAdded: ['outside_return_window'],
    });
    expect((await call('PUT', '/admin/policy', stricter, staffToken)).status).toBe(403);
    expect((await call('PUT', '/admin/policy', stricter, managerToken)).json).toEqual({ version: 2 });
    const late = await call('POST', '/returns', {
      shopId: SHOP,
      orderId: ORDER,
      email: 'jon@example.com',
      type: 'return_refund',
      lines: [{ lineId: LOUNGER, quantity: 1, reason: 'changed_mind' }],
    });
    expect(late).toMatchObject({ status: 422, json: { error: { code: 'outside_return_window' } } });
    // The approved case keeps the version that decided it.
    expect((await caseOf(approvedCase)).policy?.version).toBe(1);
  });

  it('carries an approved return through the carrier, receipt, inspection and refund', async () => {
    const shipped = await call(
      'POST',
      `/returns/${approvedCase}/shipment`,
      { carrier: 'usps', trackingNumber: '9400111899223344556677' },
      customerToken,
    );
    expect(shipped.status).toBe(200);
    expect(CustomerCaseView.parse(shipped.json).actions).toEqual([]);
    expect((await call('POST', `/returns/${approvedCase}/cancel`, {}, customerToken)).status).toBe(409);

    await webhook('aftership', aftershipPush('tracking-update-in-transit.json', '9400111899223344556677'));
    await eventually(
      async () => ((await caseOf(approvedCase)).status === 'return_in_transit' ? true : undefined),
      'the first scan',
    );
    await webhook('aftership', aftershipPush('delivered-to-neighbour.json', '9400111899223344556677'));
    await eventually(
      async () => ((await caseOf(approvedCase)).status === 'return_received' ? true : undefined),
      'the return delivered',
    );

    // Two clerks at once: the second, on the stale version, gets 409.
    const stale = (await caseOf(approvedCase)).version;
    expect(
      (
        await call(
          'POST',
          `/admin/cases/${approvedCase}/inspect`,
          { version: stale, passed: true },
          staffToken,
        )
      ).status,
    ).toBe(200);
    const lost = await call(
      'POST',
      `/admin/cases/${approvedCase}/inspect`,
      { version: stale, passed: true },
      staffToken,
    );
    expect(lost).toMatchObject({ status: 409, json: { error: { code: 'version_conflict' } } });

    const inspected = await caseOf(approvedCase);
    expect(inspected.status).toBe('inspected');
    const refund = await act(approvedCase, 'refund', {
      amount: 8999,
      currency: 'USD',
      method: 'original_payment',
      reference: 'shopify-refund-1',
    });
    expect(refund.status).toBe(200);
    expect(CaseDetailView.parse(refund.json).case).toMatchObject({ status: 'refunded', refundedTotal: 8999 });
    expect((await act(approvedCase, 'close', { note: 'done' })).json.case.status).toBe('closed');
    // Nothing leaves a closed case but a note.
    expect(await act(approvedCase, 'approve', {})).toMatchObject({
      status: 409,
      json: { error: { code: 'invalid_transition' } },
    });

    const view = await caseOf(approvedCase);
    expect(view.decisionTrail.map((d) => d.action)).toEqual(
      expect.arrayContaining([
        'open',
        'register_return',
        'return_scanned',
        'return_delivered',
        'inspect',
        'refund',
        'close',
      ]),
    );
    // One notice per milestone, planned beside the order.
    const notices = await eventually(async () => {
      const res = await call('GET', `/admin/orders/${ORDER}`, undefined, staffToken);
      const templates = OrderDetailView.parse(res.json).notices.map((n) => n.template);
      return templates.includes('case.refunded') ? templates : undefined;
    }, 'the refund notice');
    for (const milestone of ['requested', 'approved', 'return_in_transit', 'return_received', 'refunded']) {
      expect(
        notices.filter((t) => t === `case.${milestone}`),
        milestone,
      ).toHaveLength(1);
    }
    // The shop's system got what it must execute, signed.
    const events = await eventually(async () => {
      const mine = received.filter((r) => r.body.caseId === approvedCase);
      return mine.some((r) => r.type === 'case.closed') ? mine : undefined;
    }, 'the outbound events');
    expect(events.every((e) => e.signed)).toBe(true);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['case.approved', 'refund.requested', 'case.closed']),
    );
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it('takes an exchange and a reship opened by a clerk to their ends', async () => {
    await call('PUT', '/admin/policy', policy(daysSinceDelivery() + 30), managerToken);
    const exchange = await call(
      'POST',
      '/admin/cases',
      {
        orderId: ORDER,
        type: 'exchange',
        lines: [
          { lineId: LOUNGER, quantity: 1, reason: 'defective', exchangeFor: { variantId: '49148385' } },
        ],
      },
      staffToken,
    );
    expect(exchange.status).toBe(201);
    const exchangeId = exchange.json.case.caseId as string;
    expect(exchange.json.case.status).toBe('pending_review');
    // The lounger is worth more than a staff member may approve alone (the default limit is 500.00).
    expect(await act(exchangeId, 'approve', {})).toMatchObject({ status: 200 });
    expect((await caseOf(exchangeId)).status).toBe('awaiting_return');
    expect((await act(exchangeId, 'receive', {})).json.case.status).toBe('return_received');
    expect((await act(exchangeId, 'inspect', { passed: true, note: 'frame cracked' })).json.case.status).toBe(
      'inspected',
    );
    const replacement = await act(exchangeId, 'ship-replacement', {
      carrier: 'usps',
      trackingNumber: '9400100000000000000001',
    });
    expect(replacement.json.case.status).toBe('replacement_shipped');
    await webhook('aftership', aftershipPush('delivered-to-neighbour.json', '9400100000000000000001'));
    await eventually(
      async () => ((await caseOf(exchangeId)).status === 'resolved' ? true : undefined),
      'the replacement delivered',
    );
    expect((await act(exchangeId, 'close', {})).json.case.status).toBe('closed');
    await eventually(
      async () =>
        received.some((r) => r.body.caseId === exchangeId && r.type === 'exchange.requested')
          ? true
          : undefined,
      'exchange.requested at the shop',
    );

    const reship = await call(
      'POST',
      '/admin/cases',
      { orderId: ORDER, type: 'reship', lines: [{ lineId: TABLE, quantity: 1, reason: 'missing_item' }] },
      staffToken,
    );
    const reshipId = reship.json.case.caseId as string;
    expect((await act(reshipId, 'approve', {})).json.case.status).toBe('approved');
    expect(
      (await act(reshipId, 'ship-replacement', { trackingNumber: '9400100000000000000002', carrier: 'usps' }))
        .json.case.status,
    ).toBe('replacement_shipped');
    await webhook('aftership', aftershipPush('delivered-to-neighbour.json', '9400100000000000000002'));
    await eventually(
      async () => ((await caseOf(reshipId)).status === 'resolved' ? true : undefined),
      'the reship delivered',
    );
    await eventually(
      async () =>
        received.some((r) => r.body.caseId === reshipId && r.type === 'reship.requested') ? true : undefined,
      'reship.requested at the shop',
    );
  });

  it('turns a Taobao refund request into a case that follows the platform’s ruling', async () => {
    await webhook('taobao', loadSample('taobao', 'refund-created.json'), { eventId: 'tb-created' });
    const taobaoCase = await eventually(async () => {
      const res = await call('GET', '/admin/cases?status=requested', undefined, staffToken);
      return res.json.cases.find((c: Json) => c.orderProvider === 'taobao');
    }, 'the Taobao case');
    expect(taobaoCase.origin).toBe('marketplace');
    expect(await act(taobaoCase.caseId, 'approve', {})).toMatchObject({ status: 200 });
    expect((await caseOf(taobaoCase.caseId)).status).toBe('approved');
    // The platform refunds: the case follows, and our approval never moves it back.
    await webhook('taobao', loadSample('taobao', 'refund-success.json'), { eventId: 'tb-success' });
    const ruled = await eventually(async () => {
      const c = await caseOf(taobaoCase.caseId);
      return c.status === 'refunded' ? c : undefined;
    }, 'the platform refund');
    expect(ruled.marketplace).toMatchObject({ provider: 'taobao', status: 'refunded' });
  });
});
