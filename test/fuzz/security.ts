import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { SignJWT } from 'jose';
import { CHANNEL_SECRET_ITEMS } from '../../functions/app/channels.ts';
import { hmacSha256 } from '../../functions/lib/crypto.ts';
import { signCaseToken, signUnsubscribeToken } from '../../functions/lib/customer-token.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { signers } from '../../infra/local/signers.ts';
import { LOCAL_REGION, LOCAL_TABLE, localCustomerKey, localSecretsKey } from '../../infra/local/state.ts';
import { signLocalToken } from '../../infra/local/tokens.ts';
import { type RouteSpec, routes } from '../../infra/topology.ts';
import { printTable } from '../bench/table.ts';
import { countByKind, scanLogs } from '../support/log-scan.ts';
import {
  EMAIL,
  type FuzzContext,
  freshClientAddress,
  ORDER,
  OTHER,
  OTHER_EMAIL,
  OTHER_ORDER,
  OTHER_TRACKING,
  OWN,
  PHONE,
  type Probe,
  type Reply,
  refusedWithJson,
  SECRET,
  send,
  TRACKING,
} from './common.ts';
import { hostProbes } from './host.ts';
import { idProbes } from './ids.ts';
import { portalProbes } from './portal.ts';
import { PROVIDERS, type ProviderCase, signed } from './providers.ts';
import { stallBatch, vanishProbes } from './stall.ts';

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
/** Personal data put only into webhook bodies that fail to parse, for the log scan to look for. */
const LEAKED_EMAIL = 'leak.check@example.org';
const LEAKED_PHONE = '+8613912345678';

/**
 * Writes a refused probe may still make, by key: the rate limiter's counters (`RATE#…`, taken
 * before a public or admin route is even matched) and, for webhooks that verify, the inbox item
 * the body is kept in (`SHOP#<shop>#IN#<inboxId>` / `IN`) and its status updates until `failed`.
 */
const BOOKKEEPING: Array<{ name: string; test: (pk: string, sk: string) => boolean }> = [
  { name: 'rate-limit counters (RATE#*)', test: (pk) => pk.startsWith('RATE#') },
  { name: 'inbox items (SHOP#*#IN#*)', test: (pk, sk) => /^SHOP#[^#]+#IN#/.test(pk) && sk === 'IN' },
];

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

/** What changed between two scans, but the bookkeeping; `noInbox`: an inbox item counts too. */
function changes(before: Map<string, string>, after: Map<string, string>, noInbox = false): string[] {
  const exempt = noInbox ? BOOKKEEPING.slice(0, 1) : BOOKKEEPING;
  const out: string[] = [];
  for (const [key, hash] of after) {
    const was = before.get(key);
    if (was === hash) continue;
    const [pk = '', sk = ''] = key.split('\u0000');
    if (exempt.some((b) => b.test(pk, sk))) continue;
    out.push(`${was ? 'changed' : 'added'} ${pk} / ${sk}`);
  }
  for (const key of before.keys()) if (!after.has(key)) out.push(`removed ${key.replace('\u0000', ' / ')}`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Webhooks

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
  // Signed bodies that fail to parse with personal data in them: the reason the failure is logged
  // with must not carry the address or the number (the log scan looks for LEAKED_* below).
  const person = { email: LEAKED_EMAIL, phone: LEAKED_PHONE, firstName: 'Leak', lastName: 'Test' };
  const shopify = PROVIDERS.find((p) => p.provider === 'shopify')!;
  for (const [name, p, body] of [
    [
      'generic, JSON cut after the customer',
      generic,
      `{"type":"OrderPlaced","orderId":"F-9","order":{"customer":${JSON.stringify(person)}`,
    ],
    [
      'generic, the email and phone where numbers belong',
      generic,
      JSON.stringify({
        type: 'OrderPlaced',
        orderId: LEAKED_EMAIL,
        occurredAt: LEAKED_PHONE,
        order: { number: LEAKED_PHONE, customer: person, lines: [], totals: { total: LEAKED_EMAIL } },
      }),
    ],
    [
      'shopify, JSON cut after the customer',
      shopify,
      `{"id":820982911946154508,"email":"${LEAKED_EMAIL}","phone":"${LEAKED_PHONE}","customer":${JSON.stringify(person)},`,
    ],
    [
      'shopify, the customer where an id belongs',
      shopify,
      JSON.stringify({ ...JSON.parse(shopify.fixture.toString()), id: person, line_items: LEAKED_EMAIL }),
    ],
  ] as const)
    probes.push({
      cls: 'webhook: personal data in a body that does not parse',
      name,
      run: () => post(p, signed(p, Buffer.from(body))),
      accept: refusedOrFailed(p),
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

async function webhook(runtime: LocalRuntime, body: unknown, eventId: string, shopId = OWN) {
  const r = signers.generic!(Buffer.from(JSON.stringify(body)), { secret: SECRET, eventId });
  const res = await send(runtime.url, 'POST', `/webhooks/generic/${shopId}`, r.headers, r.body);
  if (res.status >= 300) throw new Error(`setup webhook ${eventId}: ${res.status} ${res.body}`);
  return { ...(JSON.parse(res.body) as { inboxId: string }), request: r };
}

/** An order placed, shipped and delivered in `shopId`, through signed generic webhooks. */
async function deliveredOrder(
  runtime: LocalRuntime,
  shopId: string,
  order: { id: string; tracking: string; email: string },
) {
  const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
  const placed = await webhook(
    runtime,
    {
      type: 'OrderPlaced',
      orderId: order.id,
      occurredAt: iso(3 * 86_400_000),
      order: {
        number: order.id,
        currency: 'CNY',
        customer: { externalId: `fuzz-${shopId}`, email: order.email },
        lines: [{ lineId: '1', title: 'Tea', quantity: 2, unitPrice: 5000, total: 10000 }],
        totals: { total: 10000 },
      },
    },
    `setup-placed-${shopId}`,
    shopId,
  );
  await webhook(
    runtime,
    {
      type: 'ShipmentCreated',
      orderId: order.id,
      occurredAt: iso(2 * 86_400_000),
      shippedAt: iso(2 * 86_400_000),
      trackingNumber: order.tracking,
      carrier: 'sf-express',
    },
    `setup-shipped-${shopId}`,
    shopId,
  );
  await webhook(
    runtime,
    {
      type: 'OrderDelivered',
      orderId: order.id,
      occurredAt: iso(86_400_000),
      deliveredAt: iso(86_400_000),
      confirmedBy: 'carrier',
    },
    `setup-delivered-${shopId}`,
    shopId,
  );
  return placed.request;
}

/** A customer files a case through POST /returns; its id and the token it answered. */
async function fileCase(
  runtime: LocalRuntime,
  request: { shopId: string; orderNumber: string; email: string; type: string; reason: string },
) {
  const { reason, ...rest } = request;
  const res = await send(
    runtime.url,
    'POST',
    '/returns',
    { 'content-type': 'application/json' },
    Buffer.from(JSON.stringify({ ...rest, lines: [{ lineId: '1', quantity: 1, reason }] })),
  );
  if (res.status >= 300) throw new Error(`setup case: ${res.status} ${res.body}`);
  const intake = JSON.parse(res.body) as { caseId?: string; customerToken?: string };
  if (!intake.caseId || !intake.customerToken)
    throw new Error(`setup case: no caseId or token in ${res.body.slice(0, 300)}`);
  return { caseId: intake.caseId, customerToken: intake.customerToken };
}

async function settled(runtime: LocalRuntime) {
  for (let i = 0; i < 300; i++) {
    const pending = await Promise.all(
      [OWN, OTHER].map((shop) => runtime.deps.inbox.list(shop, 'received', { limit: 1 })),
    );
    if (pending.every((p) => p.items.length === 0)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('setup: the inbox did not drain');
}

/** Two shops; the first with every provider's connector, an order delivered, a case, an inbox item. */
async function arrange(runtime: LocalRuntime) {
  const now = new Date().toISOString();
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
  const replay = await deliveredOrder(runtime, OWN, { id: ORDER, tracking: TRACKING, email: EMAIL });
  await deliveredOrder(runtime, OTHER, { id: OTHER_ORDER, tracking: OTHER_TRACKING, email: OTHER_EMAIL });
  const { inboxId } = await webhook(runtime, { type: 'OrderPlaced' }, 'setup-broken');
  await settled(runtime);
  const own = await fileCase(runtime, {
    shopId: OWN,
    orderNumber: ORDER,
    email: EMAIL,
    type: 'return_refund',
    reason: 'defective',
  });
  // A second case of the same shop and order, so a real token can be tried on a case not its own.
  const second = await fileCase(runtime, {
    shopId: OWN,
    orderNumber: ORDER,
    email: EMAIL,
    type: 'complaint',
    reason: 'other',
  });
  const other = await fileCase(runtime, {
    shopId: OTHER,
    orderNumber: OTHER_ORDER,
    email: OTHER_EMAIL,
    type: 'return_refund',
    reason: 'defective',
  });
  // Control: the right number and email find the order, so a refused lookup is the probe's doing.
  const lookup = await send(
    runtime.url,
    'POST',
    `/portal/${OWN}/lookup`,
    { 'content-type': 'application/json' },
    Buffer.from(JSON.stringify({ orderNumber: ORDER, email: EMAIL })),
    freshClientAddress(),
  );
  if (lookup.status !== 200 || !lookup.body.includes(own.caseId))
    throw new Error(`control lookup: ${lookup.status} ${lookup.body.slice(0, 300)}`);
  // The first case approved, so that registering its return parcel is allowed: a probe's
  // tracking number is then refused for what it is, not because the case cannot take one yet.
  const manager = {
    'content-type': 'application/json',
    authorization: `Bearer ${await signLocalToken(runtime.jwtKey, { shopId: OWN, role: 'manager' })}`,
  };
  // The case's version: the one a 409 names when the first guess (0) is not it.
  const approveAt = (version: number) =>
    send(
      runtime.url,
      'POST',
      `/admin/cases/${own.caseId}/approve`,
      manager,
      Buffer.from(JSON.stringify({ version })),
    );
  let approve = await approveAt(0);
  if (approve.status === 409)
    approve = await approveAt(
      (JSON.parse(approve.body) as { error: { details: { version: number } } }).error.details.version,
    );
  if (approve.status !== 200)
    throw new Error(`setup approve: ${approve.status} ${approve.body.slice(0, 300)}`);
  // Let the cases' follow-on work (notices, timers) finish before anything is counted.
  await new Promise((r) => setTimeout(r, 2000));
  await settled(runtime);
  return {
    caseId: own.caseId,
    customerToken: own.customerToken,
    secondCaseId: second.caseId,
    secondToken: second.customerToken,
    otherCaseId: other.caseId,
    otherToken: other.customerToken,
    customerId: 'a-customer-of-the-shop',
    inboxId,
    /** The first order's placing webhook, signed: sent again it is a duplicate that changes nothing. */
    replay,
  };
}

interface ClassCount {
  probes: number;
  refused: number;
  acceptedFailed: number;
  /**
   * Answered, and nothing of the victim shown or changed: another shop's token on a list or its
   * own-shop route, a request under a forged Host answered as it would be under the real one.
   */
  answered: number;
  /** The client went away before any answer (cut bodies): nothing to answer, nothing may change. */
  unanswered: number;
  violations: number;
}

/** The harness's own diagnostic lines (FUZZ_VERBOSE), past the log capture. */
let say = (line: string) => console.error(line);

/**
 * Everything the runtime (handlers, pollers, the local gateway) writes to stdout and stderr while
 * the probes run, kept instead of printed, for the log scan.
 */
function captureOutput() {
  const chunks: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const keep = (chunk: unknown, ...rest: unknown[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    done?.();
    return true;
  };
  process.stdout.write = keep as typeof process.stdout.write;
  process.stderr.write = keep as typeof process.stderr.write;
  say = (line) => err(`${line}\n`);
  return {
    stop: () => {
      process.stdout.write = out;
      process.stderr.write = err;
      return chunks.join('');
    },
  };
}

async function main() {
  // The product's logs at the level it runs with in AWS (infra/function.ts: INFO), for the scan.
  process.env.LOG_LEVEL = 'INFO';
  const capture = captureOutput();
  const dataDir = mkdtempSync(join(tmpdir(), 'aftersale-fuzz-'));
  const counts = new Map<string, ClassCount>();
  const violations: string[] = [];
  const notes: string[] = [];
  const known = {
    emails: [EMAIL, OTHER_EMAIL, LEAKED_EMAIL],
    phones: [PHONE, LEAKED_PHONE],
    secrets: [SECRET],
    tokens: [] as string[],
  };
  let logs = '';
  try {
    // The timer sweep (every minute) applies whatever timers fall due, in the middle of a probe's
    // count; it is no probe's doing, so it is held off for the run (once a day).
    const runtime = await startLocalRuntime({
      dataDir,
      inMemory: true,
      port: 0,
      scheduleIntervalMs: 86_400_000,
    });
    const dynamo = dynamoOf(runtime);
    try {
      await runProbes(runtime, dynamo, dataDir, counts, violations, notes, known);
    } finally {
      dynamo.destroy();
      await runtime.stop();
    }
  } finally {
    logs = capture.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const logFile = join(tmpdir(), `aftersale-fuzz-${process.pid}.log`);
  writeFileSync(logFile, logs);
  const findings = scanLogs(logs, known);
  const byKind = countByKind(findings);
  printTable(
    `aftersale fuzz:security${QUICK ? ' (quick)' : ''}: node ${process.version}, ${new Date().toISOString()}`,
    [
      'class',
      'probes',
      'refused 4xx',
      'accepted, failed',
      'answered, no change',
      'client gone',
      'violations',
    ],
    [...counts].map(([cls, c]) => [
      cls,
      String(c.probes),
      String(c.refused),
      String(c.acceptedFailed),
      String(c.answered),
      String(c.unanswered),
      String(c.violations),
    ]),
  );
  console.log(`\nNot counted as state changes: ${BOOKKEEPING.map((b) => b.name).join('; ')}.`);
  for (const note of notes) console.log(note);
  const lines = logs.split('\n');
  console.log(
    `\nlog scan: ${lines.length} lines the runtime wrote (${logFile})\n` +
      `  raw emails ${byKind.email}, phone numbers ${byKind.phone}, secrets ${byKind.secret}, tokens ${byKind.token}` +
      ` (looked for ${known.emails.length} emails, ${known.phones.length} phone, ${known.secrets.length} secrets and keys, ${known.tokens.length} tokens, and their patterns)`,
  );
  for (const f of findings) {
    const message = /"message":"([^"]*)"/.exec(lines[f.line - 1] ?? '')?.[1];
    violations.push(
      `log scan: ${f.kind} (${f.rule}) ${f.excerpt} on line ${f.line}${message ? `, in "${message}"` : `: ${maskLine(lines[f.line - 1] ?? '')}`}`,
    );
  }
  if (violations.length) {
    console.log(`\n${violations.length} violation(s):`);
    for (const v of violations) console.log(`  ${v}`);
    process.exit(1);
  }
  console.log('\nno violations');
}

/** A log line for the report, with anything that looks like an email, phone or token cut. */
const maskLine = (line: string) =>
  line
    .slice(0, 200)
    .replace(/[\w.+-]+@[\w.-]+/g, '<email>')
    .replace(/eyJ[\w.-]+/g, '<jwt>')
    .replace(/\+?\d[\d -]{7,}\d/g, '<digits>');

async function runProbes(
  runtime: LocalRuntime,
  dynamo: DynamoDBClient,
  dataDir: string,
  counts: Map<string, ClassCount>,
  violations: string[],
  notes: string[],
  known: { secrets: string[]; tokens: string[] },
) {
  const customerKey = localCustomerKey(dataDir);
  known.secrets.push(runtime.jwtKey, customerKey, localSecretsKey(dataDir));
  const ids = await arrange(runtime);
  const ctx: FuzzContext = {
    url: runtime.url,
    quick: QUICK,
    ids,
    manager: await signLocalToken(runtime.jwtKey, { shopId: OWN, role: 'manager' }),
    otherManager: await signLocalToken(runtime.jwtKey, { shopId: OTHER, role: 'manager' }),
    customerKey,
    jwtKey: runtime.jwtKey,
  };
  known.tokens.push(ids.customerToken, ids.secondToken, ids.otherToken, ctx.manager, ctx.otherManager);
  // FUZZ_ONLY=<regex>: only the classes it matches (while working on one).
  const only = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : undefined;
  const probes = [
    ...webhookProbes(runtime),
    ...(await adminProbes(runtime, ids)),
    ...(await customerProbes(runtime, customerKey, ids)),
    ...(await portalProbes(ctx)),
    ...(await idProbes(ctx)),
    ...hostProbes(ctx),
    ...vanishProbes(ctx),
  ].filter((p) => !only || only.test(p.cls));
  let lastClass: string | undefined;
  const health = async (cls: string) => {
    const res = await send(runtime.url, 'GET', '/health').catch((err: Error) => ({
      status: 0,
      body: err.message,
    }));
    if (res.status !== 200) violations.push(`${cls}: GET /health answered ${res.status} after the class`);
  };
  const countOf = (cls: string) => {
    const count = counts.get(cls) ?? {
      probes: 0,
      refused: 0,
      acceptedFailed: 0,
      answered: 0,
      unanswered: 0,
      violations: 0,
    };
    counts.set(cls, count);
    return count;
  };
  /**
   * The scan after the last probe, when nothing has run since: it is this probe's "before" (one
   * scan per probe instead of two). Anything that lands between two probes then counts against
   * the second, which is the stricter reading.
   */
  let last: Map<string, string> | undefined;
  for (const probe of probes) {
    if (lastClass && probe.cls !== lastClass) {
      await health(lastClass);
      last = undefined;
    }
    lastClass = probe.cls;
    const count = countOf(probe.cls);
    count.probes++;
    const before = last ?? (await snapshot(dynamo));
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
      else if (reply.status === 0) count.unanswered++;
      else count.answered++;
      // The answer's head too: a forged Host must not come back in a Location or a link.
      const shown = `${reply.body}\n${Object.entries(reply.headers ?? {}).join('\n')}`.toLowerCase();
      for (const leak of probe.mustNotLeak ?? [])
        if (shown.includes(leak.toLowerCase())) problems.push(`the answer shows ${leak.slice(0, 60)}`);
    }
    if (process.env.FUZZ_VERBOSE === '2')
      say(`${probe.cls} / ${probe.name}: ${reply?.status} ${reply?.body.slice(0, 200)}`);
    const after = await snapshot(dynamo);
    last = after;
    const changed = changes(before, after, probe.noInbox).filter(probe.scope ?? (() => true));
    if (changed.length) {
      problems.push(`state changed: ${changed.slice(0, 4).join('; ')}`);
      // What the change set off (notices, timers) lands now, not in the next probe's count.
      await new Promise((r) => setTimeout(r, 2000));
      last = undefined;
    }
    if (problems.length) {
      count.violations++;
      violations.push(`${probe.cls} / ${probe.name}: ${problems.join(' | ')}`);
      if (process.env.FUZZ_VERBOSE) say(`${probe.name}: ${reply?.status} ${reply?.body.slice(0, 300)}`);
    }
  }
  if (lastClass) await health(lastClass);
  // Many stalled and vanishing clients at once: one table scan around the whole batch.
  const cls = QUICK ? 'clients stalling, 10 at once (held 3 s)' : 'clients stalling or gone, 50 at once';
  if (only && !only.test(cls)) return;
  const before = await snapshot(dynamo);
  const batch = await stallBatch(ctx);
  const count = countOf(cls);
  count.probes += batch.probes;
  count.refused += batch.refused;
  count.unanswered += batch.unanswered;
  const changed = changes(before, await snapshot(dynamo), true);
  if (changed.length) batch.problems.push(`state changed: ${changed.slice(0, 4).join('; ')}`);
  count.violations += batch.problems.length;
  for (const p of batch.problems) violations.push(`${cls}: ${p}`);
  notes.push(...batch.notes);
  await health(cls);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
