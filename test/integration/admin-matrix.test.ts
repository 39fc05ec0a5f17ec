import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { requestReturn } from '../../functions/app/cases.ts';
import { signLocalToken } from '../../infra/local/tokens.ts';
import { type RouteSpec, routes } from '../../infra/topology.ts';
import { freshShop, useServices } from './env.ts';
import { admin, deliver, pump } from './pipeline.ts';

/*
 * Who may do what, for every admin route: no token (401), staff and manager of the shop that owns
 * the resource, and of another shop (404 for a resource that is not theirs, never its data). Only
 * a manager publishes the policy, changes settings and redrives DLQs (403 for staff).
 */
const { services, sqs, deps } = useServices();
const jwtKey = 'integration-test-key-integration-test-key';
const secret = 'matrix-secret';
const ADMIN_ROUTES = routes.filter((r) => r.path.startsWith('/admin/'));
const MANAGER_ONLY = new Set(['PUT /admin/policy', 'PUT /admin/settings', 'POST /admin/dlq/{queue}/redrive']);
/** Routes about one resource of the shop: another shop's token finds nothing there. */
const RESOURCE = /\{(orderId|shipmentId|caseId|inboxId)\}/;

const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

let ownShop: string;
let otherShop: string;
let caseId: string;
let inboxId: string;
const ORDER = 'M-1001';
const TRACKING = 'SF1122334455';

async function post(eventId: string, body: unknown) {
  const res = await deliver('generic', ownShop, Buffer.from(JSON.stringify(body)), { secret, eventId });
  expect(res.statusCode).toBeLessThan(300);
  return JSON.parse(res.body) as { inboxId: string };
}

function requestFor(route: RouteSpec): {
  path: Record<string, string>;
  query: Record<string, string>;
  body?: unknown;
} {
  const path: Record<string, string> = {};
  if (route.path.includes('{orderId}')) path.orderId = ORDER;
  if (route.path.includes('{shipmentId}')) path.shipmentId = TRACKING;
  if (route.path.includes('{caseId}')) path.caseId = caseId;
  if (route.path.includes('{action}')) path.action = 'notes';
  if (route.path.includes('{inboxId}')) path.inboxId = inboxId;
  if (route.path.includes('{queue}')) path.queue = 'inbound';
  if (route.path.includes('{templateId}')) path.templateId = 'shipment.delivered';
  const key = `${route.method} ${route.path}`;
  const query: Record<string, string> =
    key === 'GET /admin/orders'
      ? { number: ORDER }
      : key === 'GET /admin/shipments'
        ? { trackingNumber: TRACKING }
        : key === 'GET /admin/customers'
          ? { email: 'matrix@example.com' }
          : {};
  const bodies: Record<string, unknown> = {
    'POST /admin/cases': {
      orderId: ORDER,
      type: 'complaint',
      lines: [{ lineId: '1', quantity: 1, reason: 'other' }],
    },
    'POST /admin/cases/{caseId}/{action}': { text: 'called the customer' },
    'PUT /admin/policy': {},
    'POST /admin/policy/dry-run': { policy: {}, days: 7 },
    'PUT /admin/settings': { name: 'Matrix Shop' },
    'POST /admin/templates/{templateId}/preview': { locale: 'en' },
  };
  return { path, query, ...(key in bodies && { body: bodies[key] }) };
}

function expected(route: RouteSpec, who: 'none' | 'staff' | 'manager', shop: 'own' | 'other'): number[] {
  const key = `${route.method} ${route.path}`;
  if (who === 'none') return [401];
  if (MANAGER_ONLY.has(key) && who === 'staff') return [403];
  if (shop === 'other' && RESOURCE.test(route.path)) return [404];
  // Lookups of this shop's order or parcel, and a case on its order: not theirs, so not found.
  if (shop === 'other' && ['GET /admin/orders', 'GET /admin/shipments', 'POST /admin/cases'].includes(key))
    return [404];
  return [200, 201];
}

describe('the admin API refuses exactly what it must', () => {
  beforeAll(async () => {
    ownShop = await freshShop({ generic: { secret } });
    otherShop = await freshShop({ generic: { secret } });
    await post('m-placed', {
      type: 'OrderPlaced',
      orderId: ORDER,
      occurredAt: iso(3 * 86_400_000),
      order: {
        number: ORDER,
        currency: 'CNY',
        customer: { externalId: 'matrix', email: 'matrix@example.com' },
        lines: [{ lineId: '1', title: 'Tea', quantity: 2, unitPrice: 5000, total: 10000 }],
        totals: { total: 10000 },
      },
    });
    await post('m-shipped', {
      type: 'ShipmentCreated',
      orderId: ORDER,
      occurredAt: iso(2 * 86_400_000),
      shippedAt: iso(2 * 86_400_000),
      trackingNumber: TRACKING,
      carrier: 'sf-express',
    });
    await post('m-delivered', {
      type: 'OrderDelivered',
      orderId: ORDER,
      occurredAt: iso(86_400_000),
      deliveredAt: iso(86_400_000),
      confirmedBy: 'carrier',
    });
    inboxId = (await post('m-broken', { type: 'OrderPlaced' })).inboxId; // a failed inbox item
    await pump(sqs, services.queueUrls);
    const intake = await requestReturn(
      deps,
      {
        shopId: ownShop,
        orderNumber: ORDER,
        email: 'matrix@example.com',
        type: 'return_refund',
        lines: [{ lineId: '1', quantity: 1, reason: 'defective' }],
      },
      { address: '203.0.113.7' },
    );
    caseId = intake.case.data.caseId;
    // Something of this shop in a DLQ: the other shop must not see it.
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: services.dlqUrls.inbound,
        MessageBody: JSON.stringify({ kind: 'inbox', shopId: ownShop, inboxId: 'lost-one' }),
      }),
    );
  }, 60_000);

  it('covers every admin route', () => {
    expect(ADMIN_ROUTES.length).toBeGreaterThanOrEqual(20);
  });

  const cells = ADMIN_ROUTES.flatMap((route) =>
    (['none', 'staff', 'manager'] as const).flatMap((who) =>
      (['own', 'other'] as const).map((shop) => ({
        route,
        who,
        shop,
        name: `${route.method} ${route.path}`,
      })),
    ),
  );

  it.each(cells)('$name as $who of the $shop shop', async ({ route, who, shop }) => {
    const shopId = shop === 'own' ? ownShop : otherShop;
    const token = who === 'none' ? '' : await signLocalToken(jwtKey, { shopId, role: who });
    const { path, query, body } = requestFor(route);
    const res = await admin(token, `${route.method} ${route.path}`, path, query, body);
    expect(expected(route, who, shop), JSON.stringify(res.json).slice(0, 300)).toContain(res.status);
    if (res.status >= 400) {
      expect(res.json.error.code).toBe(
        { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' }[res.status],
      );
    }
    // Another shop's token never sees this shop's data (an error only repeats what was asked).
    if (shop === 'other' && res.status < 400) {
      const text = JSON.stringify(res.json);
      expect(text).not.toContain(caseId);
      expect(text).not.toContain(ORDER);
      expect(text).not.toContain('lost-one');
    }
  });

  it('lets only one of two simultaneous decisions on one version win (409 for the other)', async () => {
    const token = await signLocalToken(jwtKey, { shopId: ownShop, role: 'manager' });
    const detail = await admin(token, 'GET /admin/cases/{caseId}', { caseId });
    const version = detail.json.case.version as number;
    // Two clerks on the same version, one approving and one rejecting: exactly one wins, whichever
    // reads first. (The same decision sent twice at once is one event, by its deterministic id:
    // both may be answered 200; it is applied once.)
    const [a, b] = await Promise.all([
      admin(token, 'POST /admin/cases/{caseId}/{action}', { caseId, action: 'approve' }, {}, { version }),
      admin(
        token,
        'POST /admin/cases/{caseId}/{action}',
        { caseId, action: 'reject' },
        {},
        { version, reasonCode: 'other', note: 'not eligible' },
      ),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.json.error.code).toBe('version_conflict');
    const after = await admin(token, 'GET /admin/cases/{caseId}', { caseId });
    const decisions = after.json.case.decisionTrail.filter((d: { action: string }) =>
      ['approve', 'reject'].includes(d.action),
    );
    expect(decisions).toHaveLength(1);
    expect(after.json.case.version).toBe(version + 1);
  });
});
