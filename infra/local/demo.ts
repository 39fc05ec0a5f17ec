import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { secretsOf } from '../../functions/adapters/secrets/index.ts';
import { setConnector } from '../../functions/app/shop-settings.ts';
import { createDeps } from '../../functions/deps.ts';
import { readConfig } from '../../functions/lib/config.ts';
import { signers } from './signers.ts';
import { applyLocalEnv, DEMO_SECRET, DEMO_SHOP, localJwtKey, readRuntimeInfo } from './state.ts';
import { signLocalToken } from './tokens.ts';

/*
 * `npm run demo`: tells one order's story to the running local stack, through the real webhooks.
 * 1. the shop's own system places and pays order #1001 (generic webhook)
 * 2. it ships with USPS; AfterShip reports the parcel in transit, then left with a neighbour
 * 3. the order ends delivered, with one notice per milestone planned for the customer
 */
const events = join(import.meta.dirname, '..', '..', 'events');
const AFTERSHIP_SECRET = 'demo-aftership-secret';
const ORDER_ID = '820982911946154508';
const TRACKING = '9405516902697649303570';

async function main() {
  const running = readRuntimeInfo();
  if (!running) {
    console.error('Start the stack first: npm start (then run npm run demo in another terminal).');
    process.exit(1);
  }
  applyLocalEnv({ dynamoEndpoint: running.dynamoEndpoint, tableName: running.tableName });
  const config = readConfig(process.env);
  const deps = createDeps(config, secretsOf(config));
  await setConnector(deps, DEMO_SHOP, 'aftership', { secret: AFTERSHIP_SECRET, settings: {} });

  const post = async (label: string, provider: string, body: Buffer, eventId?: string) => {
    const secret = provider === 'generic' ? DEMO_SECRET : AFTERSHIP_SECRET;
    const signed = signers[provider]!(body, { secret, ...(eventId && { eventId }) });
    const res = await fetch(`${running.url}/webhooks/${provider}/${DEMO_SHOP}`, {
      method: 'POST',
      body: signed.body,
      headers: signed.headers,
    });
    console.log(`${res.status}  ${label.padEnd(44)} ${await res.text()}`);
    await new Promise((r) => setTimeout(r, 700));
  };
  const generic = (event: object) => Buffer.from(JSON.stringify(event));

  // The AfterShip samples are from May 2021, so the order is dated just before them.
  const placed = JSON.parse(readFileSync(join(events, 'generic', 'order-placed.json'), 'utf8'));
  placed.orderId = ORDER_ID; // JSON.parse rounded the sample's number-typed id; put the exact one back
  placed.occurredAt = '2021-05-10T08:15:00Z';
  placed.order.placedAt = placed.occurredAt;
  await post('order #1001 placed', 'generic', generic(placed), 'demo-placed');
  await post(
    'order #1001 paid',
    'generic',
    generic({
      type: 'OrderPaid',
      orderId: ORDER_ID,
      occurredAt: '2021-05-10T08:16:30Z',
      paidAt: '2021-05-10T08:16:30Z',
    }),
    'demo-paid',
  );
  await post(
    'shipped with USPS',
    'generic',
    generic({
      type: 'ShipmentCreated',
      orderId: ORDER_ID,
      occurredAt: '2021-05-11T10:00:00Z',
      shippedAt: '2021-05-11T10:00:00Z',
      carrier: 'usps',
      trackingNumber: TRACKING,
    }),
    'demo-shipped',
  );
  await post(
    'AfterShip: in transit',
    'aftership',
    readFileSync(join(events, 'aftership', 'tracking-update-in-transit.json')),
  );
  await post(
    'AfterShip: delivered, left with a neighbour',
    'aftership',
    readFileSync(join(events, 'aftership', 'delivered-to-neighbour.json')),
  );
  await post(
    'the same AfterShip push again (a retry)',
    'aftership',
    readFileSync(join(events, 'aftership', 'delivered-to-neighbour.json')),
  );

  await new Promise((r) => setTimeout(r, 1500));
  const token = await signLocalToken(localJwtKey(), { shopId: DEMO_SHOP, role: 'staff' });
  const view = (await (
    await fetch(`${running.url}/admin/orders/${ORDER_ID}`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as {
    order: { status: string; timeline: Array<{ at: string; summary: string }> };
    shipments: Array<{ status: string; carrier?: string; deliveredTo?: string }>;
    notices: Array<{ template: string }>;
  };
  console.log(`\norder ${ORDER_ID}: ${view.order.status}`);
  for (const s of view.shipments)
    console.log(
      `parcel ${TRACKING} (${s.carrier}): ${s.status}${s.deliveredTo ? `, to ${s.deliveredTo}` : ''}`,
    );
  console.log(`notices planned: ${view.notices.map((n) => n.template).join(', ') || 'none'}`);
  console.log('timeline:');
  for (const t of [...view.order.timeline].reverse()) console.log(`  ${t.at}  ${t.summary}`);
  console.log(
    `\nThe whole order: curl -s ${running.url}/admin/orders/${ORDER_ID} -H "authorization: Bearer ${token}"`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
