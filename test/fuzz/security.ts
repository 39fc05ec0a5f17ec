import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { SignJWT } from 'jose';
import { CHANNEL_SECRET_ITEMS } from '../../functions/app/channels.ts';
import { hmacSha256 } from '../../functions/lib/crypto.ts';
import { signCaseToken, signUnsubscribeToken } from '../../functions/lib/customer-token.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { signers } from '../../infra/local/signers.ts';
import { LOCAL_REGION, LOCAL_TABLE, localCustomerKey } from '../../infra/local/state.ts';
import { signLocalToken } from '../../infra/local/tokens.ts';
import { type RouteSpec, routes } from '../../infra/topology.ts';
import { printTable } from '../bench/table.ts';

/*
 * `npm run fuzz:security`: hostile requests against a local runtime started in this process, for
 * every webhook provider and every admin and customer route. Each probe must be refused (a 4xx
 * with a JSON `{error: {code, message}}`), or, for a webhook body that verifies but does not
 * parse, accepted and settled as `failed`, and in every case before any state change: the whole
 * table is scanned before and after each probe and every added, changed or removed item is a
 * violation, except the bookkeeping named in BOOKKEEPING. After each class GET /health must answer
 * 200. Prints the counts per class; exits 1 on any violation. FUZZ_QUICK=1: fewer providers/routes.
 */
const QUICK = process.env.FUZZ_QUICK === '1';
const SECRET = 'fuzz-secret';
const OWN = 'fuzz-own';
const OTHER = 'fuzz-other';
const ORDER = 'F-1001';
const TRACKING = 'SF5566778899';
const EMAIL = 'fuzz@example.com';
const root = join(import.meta.dirname, '..', '..');

/**
 * Writes a refused probe may still make, by key: the rate limiter's counters (`RATE#…`, taken
 * before a public or admin route is even matched) and, for webhooks that verify, the inbox item
 * the body is kept in (`SHOP#<shop>#IN#<inboxId>` / `IN`) and its status updates until `failed`.
 */
const BOOKKEEPING: Array<{ name: string; test: (pk: string, sk: string) => boolean }> = [
  { name: 'rate-limit counters (RATE#*)', test: (pk) => pk.startsWith('RATE#') },
  { name: 'inbox items (SHOP#*#IN#*)', test: (pk, sk) => /^SHOP#[^#]+#IN#/.test(pk) && sk === 'IN' },
];

interface Reply {
  status: number;
  body: string;
}

/** node:http, not fetch: duplicated header lines, raw malformed paths and exact bytes go out as written. */
function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string | string[]> = {},
  body?: Buffer,
): Promise<Reply> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers: body ? { ...headers } : headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body) req.setHeader('content-length', String(body.length));
    req.end(body);
  });
}

const dynamoOf = (runtime: LocalRuntime) =>
  new DynamoDBClient({
    endpoint: runtime.dynamoEndpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

/** Every item of the table by key, as a hash of its attributes. */
async function snapshot(dynamo: DynamoDBClient): Promise<Map<string, string>> {
  const items = new Map<string, string>();
  let start: Record<string, never> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({ TableName: LOCAL_TABLE, ...(start && { ExclusiveStartKey: start }) }),
    );
    for (const item of page.Items ?? [])
      items.set(
        `${item.pk?.S}\u0000${item.sk?.S}`,
        createHash('sha256')
          .update(JSON.stringify(item, Object.keys(item).sort()))
          .digest('hex'),
      );
    start = page.LastEvaluatedKey as typeof start;
  } while (start);
  return items;
}

function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [key, hash] of after) {
    const was = before.get(key);
    if (was === hash) continue;
    const [pk = '', sk = ''] = key.split('\u0000');
    if (BOOKKEEPING.some((b) => b.test(pk, sk))) continue;
    out.push(`${was ? 'changed' : 'added'} ${pk} / ${sk}`);
  }
  for (const key of before.keys()) if (!after.has(key)) out.push(`removed ${key.replace('\u0000', ' / ')}`);
  return out;
}

interface Probe {
  cls: string;
  name: string;
  run: () => Promise<Reply>;
  /** The answer is right (default: a 4xx with a JSON error body). */
  accept?: (reply: Reply) => string | undefined;
  /** After an accepted answer: how it must settle, given the inbox items the probe added. */
  settle?: (inboxIds: string[]) => Promise<string | undefined>;
  /** Which changed keys count (default all): cross-tenant probes look only at the victim's items. */
  scope?: (change: string) => boolean;
  /** Strings that must not appear in the answer (the other shop's data). */
  mustNotLeak?: string[];
}

function refusedWithJson(reply: Reply): string | undefined {
  if (reply.status < 400 || reply.status >= 500) return `answered ${reply.status}`;
  try {
    const parsed = JSON.parse(reply.body) as { error?: { code?: unknown; message?: unknown } };
    if (typeof parsed.error?.code !== 'string' || typeof parsed.error?.message !== 'string')
      return `${reply.status} without {error:{code,message}}: ${reply.body.slice(0, 120)}`;
  } catch {
    return `${reply.status} with a body that is not JSON: ${reply.body.slice(0, 120)}`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Webhooks

interface ProviderCase {
  provider: string;
  fixture: Buffer;
  topic?: string;
  /** The request headers that carry the signature (dropped, duplicated, forged by the probes). */
  signatureHeaders: string[];
}

function fixture(provider: string, file?: string): Buffer {
  const dir = join(root, 'events', provider);
  const name = file ?? readdirSync(dir).find((f) => f.endsWith('.json'));
  return readFileSync(join(dir, name!));
}

const PROVIDERS: ProviderCase[] = [
  {
    provider: 'generic',
    fixture: fixture('generic', 'order-placed.json'),
    signatureHeaders: ['x-aftersale-signature'],
  },
  {
    provider: 'taobao',
    fixture: fixture('taobao', 'refund-created.json'),
    signatureHeaders: ['x-aftersale-signature'],
  },
  {
    provider: 'shopify',
    fixture: fixture('shopify', 'orders-create.json'),
    topic: 'orders/create',
    signatureHeaders: ['x-shopify-hmac-sha256'],
  },
  {
    provider: 'woocommerce',
    fixture: fixture('woocommerce', 'order-created.json'),
    topic: 'order.created',
    signatureHeaders: ['x-wc-webhook-signature'],
  },
  { provider: 'doudian', fixture: fixture('doudian', 'trade-create.json'), signatureHeaders: ['event-sign'] },
  { provider: 'aftership', fixture: fixture('aftership'), signatureHeaders: ['aftership-hmac-sha256'] },
  { provider: '17track', fixture: fixture('17track'), signatureHeaders: ['sign'] },
  {
    provider: 'kuaidi100',
    fixture: fixture('kuaidi100', 'param-polling-in-transit.json'),
    signatureHeaders: [],
  },
  {
    provider: 'easypost',
    fixture: fixture('easypost', 'tracker-updated.json'),
    signatureHeaders: ['x-hmac-signature'],
  },
];

let eventSeq = 0;
function signed(p: ProviderCase, body: Buffer, secret = SECRET) {
  return signers[p.provider]!(body, {
    secret,
    eventId: `fuzz-${p.provider}-${eventSeq++}`,
    ...(p.topic && { topic: p.topic }),
  });
}

/** Kuaidi100 signs inside its form (`sign`); the others in a header. */
function withoutSignature(p: ProviderCase, req: { body: Buffer; headers: Record<string, string> }) {
  if (p.provider === 'kuaidi100') {
    const form = new URLSearchParams(req.body.toString());
    form.delete('sign');
    return { body: Buffer.from(form.toString()), headers: req.headers };
  }
  const headers = { ...req.headers };
  for (const h of p.signatureHeaders) delete headers[h];
  return { body: req.body, headers };
}

function webhookProbes(runtime: LocalRuntime): Probe[] {
  const path = (p: ProviderCase) => `/webhooks/${p.provider}/${OWN}`;
  const post = (
    p: ProviderCase,
    r: { body: Buffer; headers: Record<string, string | string[]> },
    to = path(p),
  ) => send(runtime.url, 'POST', to, r.headers, r.body);
  /** An accepted body must end `failed` in the inbox; refused is fine too. */
  const settleFailed = async (inboxIds: string[]) => {
    if (inboxIds.length !== 1) return `accepted, with ${inboxIds.length} inbox items added (one expected)`;
    for (let i = 0; i < 300; i++) {
      const item = await runtime.deps.inbox.get(OWN, inboxIds[0]!);
      if (item && item.status !== 'received')
        return item.status === 'failed' ? undefined : `settled as ${item.status}`;
      await new Promise((r) => setTimeout(r, 100));
    }
    return 'not settled within 30 s';
  };
  /*
   * Two providers read their own answer format (the connector's `reply`): Kuaidi100
   * `{result:false, returnCode, message}` (functions/adapters/connectors/kuaidi100.ts) and Douyin
   * `{code, msg}` (doudian.ts). A refusal to them is a 4xx in that format; every other provider, and
   * anything refused before a connector is reached (the gateway's 400 on a malformed path), gets
   * the house `{error:{code,message}}`.
   */
  const refused = (p: ProviderCase) => (reply: Reply) => {
    const house = refusedWithJson(reply);
    if (!house || !['kuaidi100', 'doudian'].includes(p.provider)) return house;
    if (reply.status < 400 || reply.status >= 500) return `answered ${reply.status}`;
    try {
      const body = JSON.parse(reply.body) as {
        result?: unknown;
        message?: unknown;
        code?: unknown;
        msg?: unknown;
      };
      if (p.provider === 'kuaidi100' && body.result === false && typeof body.message === 'string')
        return undefined;
      if (
        p.provider === 'doudian' &&
        typeof body.code === 'number' &&
        body.code !== 0 &&
        typeof body.msg === 'string'
      )
        return undefined;
    } catch {}
    return `${reply.status} in neither the house nor ${p.provider}'s refusal format: ${reply.body.slice(0, 120)}`;
  };
  const refusedOrFailed = (p: ProviderCase) => (reply: Reply) =>
    reply.status < 300 ? undefined : refused(p)(reply);
  const providers = QUICK
    ? PROVIDERS.filter((p) => ['generic', 'shopify', 'kuaidi100'].includes(p.provider))
    : PROVIDERS;
  const probes: Probe[] = [];
  for (const p of providers) {
    const start = probes.length;
    probes.push(
      {
        cls: 'webhook: tampered body',
        name: p.provider,
        run: () => {
          const r = signed(p, p.fixture);
          const body = Buffer.from(r.body);
          const at = p.provider === 'kuaidi100' ? body.indexOf('%22') + 1 : Math.floor(body.length / 2);
          body[at] = body[at] === 0x31 ? 0x32 : 0x31;
          return post(p, { body, headers: r.headers });
        },
      },
      {
        cls: 'webhook: wrong secret',
        name: p.provider,
        run: () => post(p, signed(p, p.fixture, 'not-the-secret')),
      },
      {
        cls: 'webhook: missing signature',
        name: p.provider,
        run: () => post(p, withoutSignature(p, signed(p, p.fixture))),
      },
      {
        cls: 'webhook: truncated after signing',
        name: p.provider,
        run: () => {
          const r = signed(p, p.fixture);
          return post(p, { body: r.body.subarray(0, Math.floor(r.body.length / 2)), headers: r.headers });
        },
      },
      {
        cls: 'webhook: oversize (300 KB, signed)',
        name: p.provider,
        run: () => {
          // Trailing whitespace keeps any JSON body (object or array) valid: only the size is wrong.
          const r = signed(p, Buffer.concat([p.fixture, Buffer.alloc(300 * 1024, 0x20)]));
          if (r.body.length <= 256 * 1024) throw new Error('the oversize body is not oversize');
          return post(p, r);
        },
      },
      {
        cls: 'webhook: malformed percent-escape in path',
        name: p.provider,
        run: () => post(p, signed(p, p.fixture), `/webhooks/${p.provider}/${OWN}%E0%A4%A`),
      },
      {
        cls: 'webhook: malformed percent-escape in path',
        name: `${p.provider} (provider %ZZ)`,
        run: () => post(p, signed(p, p.fixture), `/webhooks/%ZZ${p.provider}/${OWN}`),
      },
      // Verified, but not a body the provider sends: accepted and settled `failed`, or refused.
      {
        cls: 'webhook: truncated, then signed',
        name: p.provider,
        run: () => post(p, signed(p, p.fixture.subarray(0, Math.floor(p.fixture.length / 2)))),
        accept: refusedOrFailed(p),
        settle: settleFailed,
      },
      {
        cls: 'webhook: UTF-16LE body, signed',
        name: p.provider,
        run: () => post(p, signed(p, Buffer.from(`\ufeff${p.fixture.toString()}`, 'utf16le'))),
        accept: refusedOrFailed(p),
        settle: settleFailed,
      },
    );
    if (p.signatureHeaders.length) {
      const [header] = p.signatureHeaders as [string];
      for (const order of ['right, wrong', 'wrong, right'] as const)
        probes.push({
          cls: 'webhook: duplicated signature header',
          name: `${p.provider} (${order})`,
          run: () => {
            const r = signed(p, p.fixture);
            const wrong = signed(p, p.fixture, 'not-the-secret').headers[header]!;
            const right = r.headers[header]!;
            return post(p, {
              body: r.body,
              headers: { ...r.headers, [header]: order === 'right, wrong' ? [right, wrong] : [wrong, right] },
            });
          },
        });
    }
    for (const probe of probes.slice(start)) probe.accept ??= refused(p);
  }
  // latin1: a body whose bytes are not UTF-8 (é as 0xe9), signed over those bytes.
  const generic = PROVIDERS[0]!;
  probes.push({
    cls: 'webhook: latin1 body, signed',
    name: 'generic',
    run: () =>
      post(
        generic,
        signed(generic, Buffer.from(generic.fixture.toString().replace(/"#1001"/, '"#1001-Café"'), 'latin1')),
      ),
    accept: refusedOrFailed(generic),
    // Kept as sent (test/e2e/hardening.test.ts: a GBK body is 202); what matters is how it settles.
    settle: settleFailed,
  });
  return probes;
}

// ---------------------------------------------------------------------------------------------
// Admin routes

const MANAGER_ONLY = new Set(['PUT /admin/policy', 'PUT /admin/settings', 'POST /admin/dlq/{queue}/redrive']);
const RESOURCE = /\{(orderId|shipmentId|caseId|inboxId)\}/;

function adminRequest(route: RouteSpec, ids: { caseId: string; inboxId: string }) {
  const key = `${route.method} ${route.path}`;
  const path = route.path
    .replace('{orderId}', ORDER)
    .replace('{shipmentId}', TRACKING)
    .replace('{caseId}', ids.caseId)
    .replace('{action}', 'notes')
    .replace('{inboxId}', ids.inboxId)
    .replace('{queue}', 'inbound')
    .replace('{templateId}', 'shipment.delivered');
  const query: Record<string, string> = {
    'GET /admin/orders': `?number=${encodeURIComponent(ORDER)}`,
    'GET /admin/shipments': `?trackingNumber=${TRACKING}`,
    'GET /admin/customers': `?email=${encodeURIComponent(EMAIL)}`,
  } as never;
  const bodies: Record<string, unknown> = {
    'POST /admin/cases': {
      orderId: ORDER,
      type: 'complaint',
      lines: [{ lineId: '1', quantity: 1, reason: 'other' }],
    },
    'POST /admin/cases/{caseId}/{action}': { text: 'fuzz note' },
    'PUT /admin/policy': {},
    'POST /admin/policy/dry-run': { policy: {}, days: 7 },
    'PUT /admin/settings': { name: 'Fuzzed Shop' },
    'POST /admin/templates/{templateId}/preview': { locale: 'en' },
  };
  const body =
    key in bodies
      ? Buffer.from(JSON.stringify(bodies[key]))
      : route.method === 'GET'
        ? undefined
        : Buffer.from('{}');
  return { path: `${path}${query[key] ?? ''}`, body };
}

async function adminProbes(
  runtime: LocalRuntime,
  ids: { caseId: string; inboxId: string },
): Promise<Probe[]> {
  const adminRoutes = routes.filter((r) => r.path.startsWith('/admin/'));
  const otherManager = await signLocalToken(runtime.jwtKey, { shopId: OTHER, role: 'manager' });
  const ownStaff = await signLocalToken(runtime.jwtKey, { shopId: OWN, role: 'staff' });
  const now = Math.floor(Date.now() / 1000);
  const wrongKey = await new SignJWT({ shop_id: OWN, roles: ['manager'] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('forger')
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(new TextEncoder().encode('a-key-that-is-not-the-local-jwt-key-at-all'));
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const algNone = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ shop_id: OWN, roles: ['manager'], sub: 'x', exp: now + 3600 })}.`;
  const expired = await new SignJWT({ shop_id: OWN, roles: ['manager'] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('late')
    .setIssuedAt(now - 7200)
    .setExpirationTime(now - 3600)
    .sign(new TextEncoder().encode(runtime.jwtKey));
  const json = { 'content-type': 'application/json' };
  /** What the request itself carries is no leak when an answer echoes it ("no order F-1001"). */
  const notSent = (route: RouteSpec, values: string[]) => {
    const { path, body } = adminRequest(route, ids);
    const sent = decodeURIComponent(path) + (body?.toString() ?? '');
    return values.filter((v) => !sent.includes(v.replaceAll('"', '')));
  };
  const call = (route: RouteSpec, token?: string) => {
    const { path, body } = adminRequest(route, ids);
    return send(
      runtime.url,
      route.method,
      path,
      { ...json, ...(token && { authorization: `Bearer ${token}` }) },
      body,
    );
  };
  const probes: Probe[] = [];
  for (const route of QUICK ? adminRoutes.filter((_, i) => i % 3 === 0) : adminRoutes) {
    const name = `${route.method} ${route.path}`;
    probes.push({ cls: 'admin: no token', name, run: () => call(route) });
    for (const [label, token] of [
      ['wrong key', wrongKey],
      ['alg none', algNone],
      ['expired', expired],
    ] as const)
      probes.push({ cls: `admin: forged token (${label})`, name, run: () => call(route, token) });
    // Another shop's manager: nothing of this shop may change or be shown. A route about one of
    // this shop's resources must be refused; a list answers the caller's own (empty) shop.
    probes.push({
      cls: 'admin: another shop’s token',
      name,
      run: () => call(route, otherManager),
      accept: (reply) =>
        RESOURCE.test(route.path) ||
        ['GET /admin/orders', 'GET /admin/shipments', 'POST /admin/cases'].includes(name)
          ? refusedWithJson(reply)
          : reply.status < 500
            ? undefined
            : `answered ${reply.status}`,
      scope: (change) => change.includes(OWN),
      mustNotLeak: notSent(route, [ORDER, TRACKING, ids.caseId, ids.inboxId, EMAIL, `"${OWN}"`]),
    });
    if (MANAGER_ONLY.has(name))
      probes.push({
        cls: 'admin: staff token on a manager-only route',
        name,
        run: () => call(route, ownStaff),
      });
  }
  return probes;
}

// ---------------------------------------------------------------------------------------------
// Customer routes

async function customerProbes(
  runtime: LocalRuntime,
  customerKey: string,
  ids: { caseId: string; customerToken: string; customerId: string },
): Promise<Probe[]> {
  const day = 86_400_000;
  const forged: Array<[string, string]> = [
    ['none', ''],
    ['garbage', 'Bearer not-a-token'],
    ['wrong key', `Bearer ${await signCaseToken('x'.repeat(48), { shopId: OWN, caseId: ids.caseId })}`],
    [
      'another case',
      `Bearer ${await signCaseToken(customerKey, { shopId: OWN, caseId: 'CASE-NOT-THIS-ONE' })}`,
    ],
    [
      'expired',
      `Bearer ${await signCaseToken(customerKey, { shopId: OWN, caseId: ids.caseId }, Date.now() - 91 * day)}`,
    ],
    [
      'unsubscribe scope',
      `Bearer ${await signUnsubscribeToken(customerKey, { shopId: OWN, customerId: ids.caseId, channel: 'all' })}`,
    ],
    [
      'payload swapped',
      (() => {
        const [h, , s] = ids.customerToken.split('.');
        const payload = Buffer.from(
          JSON.stringify({
            shop: OTHER,
            scope: 'case',
            sub: ids.caseId,
            iss: 'aftersale/customer',
            exp: 9e9,
          }),
        ).toString('base64url');
        return `Bearer ${h}.${payload}.${s}`;
      })(),
    ],
  ];
  const json = { 'content-type': 'application/json' };
  const probes: Probe[] = [];
  const caseRoutes: Array<[string, string, Buffer | undefined]> = [
    ['GET', `/returns/${ids.caseId}`, undefined],
    [
      'POST',
      `/returns/${ids.caseId}/shipment`,
      Buffer.from(JSON.stringify({ carrier: 'sf-express', trackingNumber: 'SF9988776655' })),
    ],
    ['POST', `/returns/${ids.caseId}/cancel`, Buffer.from('{}')],
  ];
  for (const [method, path, body] of caseRoutes)
    for (const [label, auth] of forged)
      probes.push({
        cls: 'portal: forged case token',
        name: `${method} ${path.replace(ids.caseId, '{caseId}')} (${label})`,
        run: () => send(runtime.url, method, path, { ...json, ...(auth && { authorization: auth }) }, body),
      });
  const unsubscribe: Array<[string, string]> = [
    ['garbage', 'not-a-token'],
    [
      'wrong key',
      await signUnsubscribeToken('y'.repeat(48), { shopId: OWN, customerId: ids.customerId, channel: 'all' }),
    ],
    ['case token', ids.customerToken],
    ['overlong', 'a'.repeat(3000)],
    ['malformed escape', '%E0%A4%A'],
  ];
  for (const method of ['GET', 'POST'])
    for (const [label, token] of unsubscribe)
      probes.push({
        cls: 'unsubscribe: forged token',
        name: `${method} (${label})`,
        run: () =>
          send(
            runtime.url,
            method,
            `/unsubscribe/${token}`,
            { 'content-type': 'application/x-www-form-urlencoded' },
            method === 'POST' ? Buffer.from('List-Unsubscribe=One-Click') : undefined,
          ),
      });
  const reply = Buffer.from(JSON.stringify({ from: '+8613800138000', text: 'TD' }));
  for (const [label, headers] of [
    ['unsigned', json],
    [
      'wrong secret',
      { ...json, 'x-aftersale-signature': `sha256=${hmacSha256('not-the-secret', reply, 'hex')}` },
    ],
    ['garbage signature', { ...json, 'x-aftersale-signature': 'sha256=zz' }],
  ] as const)
    probes.push({
      cls: 'sms replies: unsigned or forged',
      name: label,
      run: () => send(runtime.url, 'POST', `/sms/replies/${OWN}`, headers, reply),
    });
  return probes;
}

// ---------------------------------------------------------------------------------------------

const spread = (r: { body: Buffer; headers: Record<string, string> }) => [r.headers, r.body] as const;

async function webhook(runtime: LocalRuntime, body: unknown, eventId: string) {
  const r = signers.generic!(Buffer.from(JSON.stringify(body)), { secret: SECRET, eventId });
  const res = await send(runtime.url, 'POST', `/webhooks/generic/${OWN}`, r.headers, r.body);
  if (res.status >= 300) throw new Error(`setup webhook ${eventId}: ${res.status} ${res.body}`);
  return JSON.parse(res.body) as { inboxId: string };
}

async function settled(runtime: LocalRuntime) {
  for (let i = 0; i < 300; i++) {
    const pending = await runtime.deps.inbox.list(OWN, 'received', { limit: 1 });
    if (pending.items.length === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('setup: the inbox did not drain');
}

/** Two shops; the first with every provider's connector, an order delivered, a case, an inbox item. */
async function arrange(runtime: LocalRuntime) {
  const now = new Date().toISOString();
  const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
  for (const shopId of [OWN, OTHER]) {
    await runtime.deps.shops.put({ shopId }, now);
    for (const p of PROVIDERS)
      await runtime.deps.shops.setConnector(
        shopId,
        p.provider as never,
        { secret: SECRET, settings: p.provider === 'doudian' ? { appKey: 'demo-app' } : {} },
        now,
      );
  }
  // The SMS gateway's secret, so that a refused reply is refused for its signature, not for no gateway.
  await runtime.deps.shops.setConnector(
    OWN,
    CHANNEL_SECRET_ITEMS.webhook as never,
    { secret: SECRET, settings: {} },
    now,
  );
  // Controls: each provider's real payload, rightly signed, is accepted, and so is a signed SMS
  // reply; the refusals below are then the probes' doing, not a setup that refuses everything.
  for (const p of PROVIDERS) {
    const res = await send(
      runtime.url,
      'POST',
      `/webhooks/${p.provider}/${OWN}`,
      ...spread(signed(p, p.fixture)),
    );
    if (res.status >= 300) throw new Error(`control ${p.provider}: ${res.status} ${res.body}`);
  }
  const reply = Buffer.from(JSON.stringify({ from: '+8613800138000', text: 'hello' }));
  const sms = await send(
    runtime.url,
    'POST',
    `/sms/replies/${OWN}`,
    {
      'content-type': 'application/json',
      'x-aftersale-signature': `sha256=${hmacSha256(SECRET, reply, 'hex')}`,
    },
    reply,
  );
  if (sms.status !== 200) throw new Error(`control SMS reply: ${sms.status} ${sms.body}`);
  await webhook(
    runtime,
    {
      type: 'OrderPlaced',
      orderId: ORDER,
      occurredAt: iso(3 * 86_400_000),
      order: {
        number: ORDER,
        currency: 'CNY',
        customer: { externalId: 'fuzz', email: EMAIL },
        lines: [{ lineId: '1', title: 'Tea', quantity: 2, unitPrice: 5000, total: 10000 }],
        totals: { total: 10000 },
      },
    },
    'setup-placed',
  );
  await webhook(
    runtime,
    {
      type: 'ShipmentCreated',
      orderId: ORDER,
      occurredAt: iso(2 * 86_400_000),
      shippedAt: iso(2 * 86_400_000),
      trackingNumber: TRACKING,
      carrier: 'sf-express',
    },
    'setup-shipped',
  );
  await webhook(
    runtime,
    {
      type: 'OrderDelivered',
      orderId: ORDER,
      occurredAt: iso(86_400_000),
      deliveredAt: iso(86_400_000),
      confirmedBy: 'carrier',
    },
    'setup-delivered',
  );
  const { inboxId } = await webhook(runtime, { type: 'OrderPlaced' }, 'setup-broken');
  await settled(runtime);
  const res = await send(
    runtime.url,
    'POST',
    '/returns',
    { 'content-type': 'application/json' },
    Buffer.from(
      JSON.stringify({
        shopId: OWN,
        orderNumber: ORDER,
        email: EMAIL,
        type: 'return_refund',
        lines: [{ lineId: '1', quantity: 1, reason: 'defective' }],
      }),
    ),
  );
  if (res.status >= 300) throw new Error(`setup case: ${res.status} ${res.body}`);
  const intake = JSON.parse(res.body) as { caseId?: string; customerToken: string };
  const caseId = intake.caseId;
  if (!caseId) throw new Error(`setup case: no caseId in ${res.body.slice(0, 300)}`);
  // Let the case's follow-on work (notices, timers) finish before anything is counted.
  await new Promise((r) => setTimeout(r, 2000));
  return { caseId, customerToken: intake.customerToken, customerId: 'a-customer-of-the-shop', inboxId };
}

interface ClassCount {
  probes: number;
  refused: number;
  acceptedFailed: number;
  /** Another shop's token on a list or its own-shop route: answered, nothing of the victim shown or changed. */
  ownShopOnly: number;
  violations: number;
}

async function main() {
  process.env.LOG_LEVEL = 'ERROR';
  process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
  const dataDir = mkdtempSync(join(tmpdir(), 'aftersale-fuzz-'));
  const runtime = await startLocalRuntime({ dataDir, inMemory: true, port: 0 });
  const dynamo = dynamoOf(runtime);
  const counts = new Map<string, ClassCount>();
  const violations: string[] = [];
  try {
    const ids = await arrange(runtime);
    const probes = [
      ...webhookProbes(runtime),
      ...(await adminProbes(runtime, ids)),
      ...(await customerProbes(runtime, localCustomerKey(dataDir), ids)),
    ];
    let lastClass: string | undefined;
    const health = async (cls: string) => {
      const res = await send(runtime.url, 'GET', '/health').catch((err: Error) => ({
        status: 0,
        body: err.message,
      }));
      if (res.status !== 200) violations.push(`${cls}: GET /health answered ${res.status} after the class`);
    };
    for (const probe of probes) {
      if (lastClass && probe.cls !== lastClass) await health(lastClass);
      lastClass = probe.cls;
      const count = counts.get(probe.cls) ?? {
        probes: 0,
        refused: 0,
        acceptedFailed: 0,
        ownShopOnly: 0,
        violations: 0,
      };
      counts.set(probe.cls, count);
      count.probes++;
      const before = await snapshot(dynamo);
      const problems: string[] = [];
      let reply: Reply | undefined;
      try {
        reply = await probe.run();
      } catch (err) {
        problems.push(`request failed: ${(err as Error).message}`);
      }
      if (reply) {
        const wrong = (probe.accept ?? refusedWithJson)(reply);
        if (wrong) problems.push(wrong);
        else if (reply.status < 300 && probe.settle) {
          const now = await snapshot(dynamo);
          const added = [...now.keys()]
            .filter((k) => !before.has(k))
            .map((k) => new RegExp(`^SHOP#${OWN}#IN#([^\u0000]+)\u0000IN$`).exec(k)?.[1])
            .filter((id): id is string => id !== undefined);
          const how = await probe.settle(added);
          if (how) problems.push(how);
          else count.acceptedFailed++;
        } else if (reply.status >= 400) count.refused++;
        else count.ownShopOnly++;
        for (const leak of probe.mustNotLeak ?? [])
          if (reply.body.includes(leak)) problems.push(`the answer shows ${leak}`);
      }
      const changed = changes(before, await snapshot(dynamo)).filter(probe.scope ?? (() => true));
      if (changed.length) problems.push(`state changed: ${changed.slice(0, 4).join('; ')}`);
      if (problems.length) {
        count.violations++;
        violations.push(`${probe.cls} / ${probe.name}: ${problems.join(' | ')}`);
        if (process.env.FUZZ_VERBOSE) console.log(probe.name, reply?.status, reply?.body.slice(0, 300));
      }
    }
    if (lastClass) await health(lastClass);
  } finally {
    dynamo.destroy();
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  printTable(
    `aftersale fuzz:security${QUICK ? ' (quick)' : ''}: node ${process.version}, ${new Date().toISOString()}`,
    ['class', 'probes', 'refused 4xx', 'accepted, failed', 'own shop only', 'violations'],
    [...counts].map(([cls, c]) => [
      cls,
      String(c.probes),
      String(c.refused),
      String(c.acceptedFailed),
      String(c.ownShopOnly),
      String(c.violations),
    ]),
  );
  console.log(`\nNot counted as state changes: ${BOOKKEEPING.map((b) => b.name).join('; ')}.`);
  if (violations.length) {
    console.log(`\n${violations.length} violation(s):`);
    for (const v of violations) console.log(`  ${v}`);
    process.exit(1);
  }
  console.log('\nno violations');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
