import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../infra/local/faults.ts';

/*
 * The soak's orders: each one a Shopify order (orders/create, orders/paid, fulfillments/create,
 * sometimes refunds/create) followed by AfterShip (in transit, out for delivery, delivered), built
 * from the real payloads in events/ with this order's ids, contact details, tracking number and
 * times. Every webhook is signed with the shop's secrets by the sender (signers.ts).
 */

const eventsDir = join(import.meta.dirname, '..', '..', 'events');

export interface Webhook {
  /** Which order it belongs to (index), for the report. */
  order: number;
  /** Position in the order's real lifecycle: the in-order replay applies them by this. */
  step: number;
  provider: 'shopify' | 'aftership';
  /** Shopify's X-Shopify-Topic. */
  topic?: string;
  /** Shopify's X-Shopify-Event-Id (AfterShip's event id is in the body). */
  eventId?: string;
  body: Buffer;
  /** Signed but unparseable or invalid: must settle as a failed inbox item. */
  poison?: boolean;
}

export interface SoakOrder {
  index: number;
  orderId: string;
  email: string;
  phone: string;
  trackingNumber: string;
  refunded: boolean;
  webhooks: Webhook[];
}

/** Big ids (Shopify's line items are > 2^53) stay exact through parse and stringify. */
function readTemplate(provider: string, file: string): () => Record<string, unknown> {
  const text = readFileSync(join(eventsDir, provider, file), 'utf8');
  return () => parseExact(text);
}

function parseExact(text: string): Record<string, unknown> {
  return JSON.parse(text, (_key, value, context?: { source?: string }) =>
    typeof value === 'number' &&
    !Number.isSafeInteger(value) &&
    context?.source &&
    /^-?\d+$/.test(context.source)
      ? // biome-ignore lint/suspicious/noExplicitAny: JSON.rawJSON is newer than the lib typings.
        (JSON as any).rawJSON(context.source)
      : value,
  ) as Record<string, unknown>;
}

const templates = {
  order: readTemplate('shopify', 'orders-create.json'),
  fulfillment: readTemplate('shopify', 'fulfillments-create.json'),
  refund: readTemplate('shopify', 'refunds-create.json'),
  tracking: readTemplate('aftership', 'tracking-update-in-transit.json'),
};

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** Seeded PRNG (mulberry32), so a run's orders, duplicates and shuffles can be repeated. */
export const rng = seededRandom;

export function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Shopify writes times with the shop's offset. */
function shopifyTime(ms: number): string {
  const d = new Date(ms - 5 * 3_600_000);
  return `${d.toISOString().slice(0, 19)}-05:00`;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', '+00:00');

/**
 * Order `n`: even ones ship to China with a Chinese mobile written the local way, odd ones to the
 * US with a US number as people type it. Contact details are unique per order so the log scan can
 * look for each exact value.
 */
export function buildOrder(n: number, startMs: number, random: () => number): SoakOrder {
  const orderId = String(6_100_000_000_000 + n);
  const customerId = 7_200_000_000_000 + n;
  const pad = String(n).padStart(6, '0');
  const email = `soak.buyer${pad}@example.net`;
  const cn = n % 2 === 0;
  const phone = cn
    ? `+86 139 ${pad.slice(0, 2)}${pad.slice(2, 4)} ${pad.slice(4)}00`
    : `+1 (415) 555-${pad.slice(2)}`;
  const trackingNumber = `1ZSOAK${pad}`;
  const refunded = random() < 0.15;
  const t0 = startMs + Math.floor(random() * 60_000);
  const min = 60_000;

  const address = {
    ...(templates.order().shipping_address as Record<string, unknown>),
    first_name: 'Soak',
    last_name: `Buyer ${n}`,
    name: `Soak Buyer ${n}`,
    phone,
    ...(cn
      ? {
          country: 'China',
          country_code: 'CN',
          province: 'Shanghai',
          province_code: 'SH',
          city: 'Shanghai',
          zip: '200000',
        }
      : {}),
  };
  const order = (financial: string, updatedMs: number) => {
    const o = templates.order();
    Object.assign(o, {
      id: Number(orderId),
      admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
      name: `#S${pad}`,
      number: n,
      order_number: 100_000 + n,
      email,
      contact_email: email,
      phone,
      created_at: shopifyTime(t0),
      processed_at: shopifyTime(t0),
      updated_at: shopifyTime(updatedMs),
      financial_status: financial,
      total_outstanding: financial === 'paid' ? '0.00' : o.total_price,
      cancel_reason: null,
      cancelled_at: null,
      fulfillment_status: null,
      fulfillments: [],
      refunds: [],
      returns: [],
      buyer_accepts_marketing: n % 3 === 0,
      shipping_address: address,
      billing_address: { ...address },
      customer: {
        ...(o.customer as Record<string, unknown>),
        id: customerId,
        admin_graphql_api_id: `gid://shopify/Customer/${customerId}`,
        email,
        phone,
        first_name: 'Soak',
        last_name: `Buyer ${n}`,
      },
    });
    return json(o);
  };

  const fulfillment = templates.fulfillment();
  Object.assign(fulfillment, {
    id: 8_100_000_000_000 + n,
    order_id: Number(orderId),
    admin_graphql_api_id: `gid://shopify/Fulfillment/${8_100_000_000_000 + n}`,
    name: `#S${pad}.1`,
    status: 'success',
    created_at: shopifyTime(t0 + 10 * min),
    updated_at: shopifyTime(t0 + 10 * min),
    email,
    tracking_company: 'UPS',
    tracking_number: trackingNumber,
    tracking_numbers: [trackingNumber],
    tracking_url: `https://www.ups.com/track?tracknum=${trackingNumber}`,
    tracking_urls: [`https://www.ups.com/track?tracknum=${trackingNumber}`],
  });

  const checkpointTemplate = (templates.tracking().msg as { checkpoints: Array<Record<string, unknown>> })
    .checkpoints[0]!;
  const checkpoint = (tag: string, subtag: string, message: string, ms: number) => ({
    ...checkpointTemplate,
    slug: 'ups',
    tag,
    subtag,
    subtag_message: message,
    message,
    checkpoint_time: iso(ms),
    created_at: iso(ms),
  });
  const checkpoints = [
    checkpoint('InfoReceived', 'InfoReceived_001', 'Shipper created a label', t0 + 12 * min),
    checkpoint('InTransit', 'InTransit_003', 'Arrival scan', t0 + 30 * min),
    checkpoint('OutForDelivery', 'OutForDelivery_001', 'Out for delivery', t0 + 60 * min),
    checkpoint('Delivered', 'Delivered_001', 'Delivered', t0 + 80 * min),
  ];
  const tracking = (step: number, tag: string, subtag: string, upTo: number, ms: number) => {
    const body = templates.tracking();
    const msg = body.msg as Record<string, unknown>;
    Object.assign(body, { event_id: `soak-${pad}-aftership-${step}`, ts: Math.floor(ms / 1000) });
    Object.assign(msg, {
      id: `soak${pad}`,
      tracking_number: trackingNumber,
      title: trackingNumber,
      slug: 'ups',
      tag,
      subtag,
      subtag_message: checkpoints[upTo]!.subtag_message,
      order_id: orderId,
      customer_name: `Soak Buyer ${n}`,
      emails: [email],
      smses: [phone],
      expected_delivery: iso(t0 + 80 * min).slice(0, 10),
      created_at: iso(t0 + 12 * min),
      updated_at: iso(ms),
      last_updated_at: iso(ms),
      checkpoints: checkpoints.slice(0, upTo + 1),
    });
    return json(body);
  };

  const lifecycle: Array<Omit<Webhook, 'order' | 'step'>> = [
    { provider: 'shopify', topic: 'orders/create', body: order('pending', t0) },
    { provider: 'shopify', topic: 'orders/paid', body: order('paid', t0 + 2 * min) },
    { provider: 'shopify', topic: 'fulfillments/create', body: json(fulfillment) },
    { provider: 'aftership', body: tracking(1, 'InTransit', 'InTransit_003', 1, t0 + 30 * min) },
    { provider: 'aftership', body: tracking(2, 'OutForDelivery', 'OutForDelivery_001', 2, t0 + 60 * min) },
    { provider: 'aftership', body: tracking(3, 'Delivered', 'Delivered_001', 3, t0 + 80 * min) },
  ];
  const webhooks: Webhook[] = lifecycle.map((w, step) => ({ ...w, order: n, step }));

  if (refunded) {
    const refund = templates.refund();
    const lines = refund.refund_line_items as Array<Record<string, unknown>>;
    Object.assign(refund, {
      id: 9_100_000_000_000 + n,
      order_id: Number(orderId),
      admin_graphql_api_id: `gid://shopify/Refund/${9_100_000_000_000 + n}`,
      created_at: shopifyTime(t0 + 85 * min),
      processed_at: shopifyTime(t0 + 85 * min),
      note: 'Arrived scratched',
      refund_line_items: lines.slice(0, 1).map((l) => ({ ...l, id: 9_200_000_000_000 + n })),
      transactions: (refund.transactions as Array<Record<string, unknown>>).slice(0, 1).map((t) => ({
        ...t,
        id: 9_300_000_000_000 + n,
        order_id: Number(orderId),
        amount: '10.00',
        created_at: shopifyTime(t0 + 85 * min),
        processed_at: shopifyTime(t0 + 85 * min),
      })),
    });
    webhooks.push({
      order: n,
      step: webhooks.length,
      provider: 'shopify',
      topic: 'refunds/create',
      body: json(refund),
    });
  }
  for (const w of webhooks) if (w.provider === 'shopify') w.eventId = `soak-${pad}-${w.step}`;
  return { index: n, orderId, email, phone, trackingNumber, refunded, webhooks };
}

/**
 * A poison payload for order `n`: signed with the right secret, so it is accepted and kept, but
 * its body is cut short (not JSON) or is JSON that is not what the topic carries.
 */
export function poisonFor(n: number, kind: number): Webhook {
  const pad = String(n).padStart(6, '0');
  const step = 100 + kind;
  switch (kind % 3) {
    case 0: {
      const full = JSON.stringify(templates.order());
      return {
        order: n,
        step,
        provider: 'shopify',
        topic: 'orders/updated',
        eventId: `soak-poison-${pad}-${kind}`,
        body: Buffer.from(full.slice(0, Math.floor(full.length / 3))),
        poison: true,
      };
    }
    case 1:
      return {
        order: n,
        step,
        provider: 'shopify',
        topic: 'fulfillments/create',
        eventId: `soak-poison-${pad}-${kind}`,
        // JSON, but not a fulfillment: no id, no order.
        body: json({ status: 'success', tracking_number: `1ZPOISON${pad}`, line_items: 'all of them' }),
        poison: true,
      };
    default:
      return {
        order: n,
        step,
        provider: 'aftership',
        // A tracking update whose msg is not a tracking (no tracking number).
        body: json({
          event_id: `soak-poison-${pad}-${kind}`,
          event: 'tracking_update',
          msg: { tag: 'InTransit' },
        }),
        poison: true,
      };
  }
}
