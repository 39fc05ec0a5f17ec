import { signers } from '../../infra/local/signers.ts';
import { loadSample } from '../support/requests.ts';

/**
 * One synthetic order's life as its providers would post it, built from the real samples in
 * events/ (Shopify for the order, AfterShip for the parcel). Each order gets its own ids, number,
 * buyer and tracking number by raw text edits (never a re-serialise of Shopify's bodies: that
 * would round their ids above 2^53). The AfterShip bodies have no big numbers, so their
 * checkpoints are cut with JSON.parse / JSON.stringify.
 *
 * Every order: orders/create, orders/paid, orders/updated, fulfillments/create (UPS), orders/updated
 * (fulfilled), three AfterShip in-transit pushes (5, 6, 7 checkpoints), AfterShip delivered = 9.
 * Every `returnEvery`-th order also: returns/request, returns/approve, refunds/create and the
 * orders/updated after the refund = 13.
 */
export const SHOPIFY_SECRET = 'bench-shopify-secret';
export const AFTERSHIP_SECRET = 'bench-aftership-secret';

export interface Webhook {
  /** What it says, for the breakdown: `shopify orders/create`, `aftership in transit`. */
  label: string;
  provider: 'shopify' | 'aftership';
  body: Buffer;
  headers: Record<string, string>;
}

const SAMPLE_ORDER_ID = '820982911946154508';
const SAMPLE_RETURN_ORDER_ID = '4783296544821';
const SAMPLE_RETURN_ID = '123134564567890';
const SAMPLE_REFUND_ID = '890088186047892319';
const SAMPLE_CUSTOMER_ID = '115310627314723954';
const SAMPLE_FULFILLMENT_TRACKING = '1z827wk74630';
const SAMPLE_AFTERSHIP_TRACKING = '9405516902697649303570';

const text = (provider: string, file: string) => loadSample(provider, file).toString('utf8');
const samples = {
  paid: text('shopify', 'orders-paid.json'),
  updated: text('shopify', 'orders-updated.json'),
  fulfillment: text('shopify', 'fulfillments-create.json'),
  returnRequest: text('shopify', 'returns-request-with-lines.json'),
  returnApprove: text('shopify', 'returns-approve.json'),
  refund: text('shopify', 'refunds-create.json'),
  inTransit: text('aftership', 'tracking-update-in-transit.json'),
  delivered: text('aftership', 'delivered-to-neighbour.json'),
};

/** Replaces every `from` (which must occur) by `to`. */
function edit(body: string, edits: Array<[from: string, to: string]>): string {
  let out = body;
  for (const [from, to] of edits) {
    if (!out.includes(from)) throw new Error(`sample does not contain ${from}`);
    out = out.replaceAll(from, to);
  }
  return out;
}

export interface OrderIds {
  orderId: string;
  number: string;
  email: string;
  tracking: string;
}

/** Ids of the i-th synthetic order; 18-digit order ids, above 2^53 like Shopify's. */
export function orderIds(run: string, i: number): OrderIds {
  const n = String(i).padStart(7, '0');
  return {
    orderId: `82${run}${n}`.padEnd(18, '0').slice(0, 18),
    number: `#B${run}-${i}`,
    email: `buyer${run}-${i}@example.com`,
    tracking: `1ZBENCH${run}${n}`,
  };
}

export function orderLifecycle(run: string, i: number, withReturn: boolean): Webhook[] {
  const ids = orderIds(run, i);
  const seq = String(i).padStart(7, '0');
  const shopifyOrder = (body: string) =>
    edit(body, [
      [SAMPLE_ORDER_ID, ids.orderId],
      [SAMPLE_CUSTOMER_ID, `11${run}${seq}`.padEnd(18, '0').slice(0, 18)],
      ['"name": "#9999"', `"name": "${ids.number}"`],
      ['jon@example.com', ids.email],
      ['john@example.com', ids.email],
    ]);
  const webhooks: Webhook[] = [];
  let k = 0;
  const shopify = (label: string, topic: string, body: string) => {
    const signed = signers.shopify!(Buffer.from(body), {
      secret: SHOPIFY_SECRET,
      topic,
      eventId: `bench-${run}-${i}-${k++}`,
    });
    webhooks.push({ label: `shopify ${label}`, provider: 'shopify', ...signed });
  };
  const aftership = (label: string, body: string) => {
    const signed = signers.aftership!(Buffer.from(body), { secret: AFTERSHIP_SECRET });
    webhooks.push({ label: `aftership ${label}`, provider: 'aftership', ...signed });
  };

  const paid = shopifyOrder(samples.paid);
  shopify(
    'orders/create',
    'orders/create',
    edit(paid, [
      ['"financial_status": "paid"', '"financial_status": "pending"'],
      ['"total_outstanding": "0.00"', '"total_outstanding": "414.95"'],
      ['"updated_at": "2022-01-01T09:30:00-05:00"', '"updated_at": "2021-12-31T19:00:00-05:00"'],
    ]),
  );
  shopify('orders/paid', 'orders/paid', paid);
  shopify(
    'orders/updated',
    'orders/updated',
    edit(paid, [['"updated_at": "2022-01-01T09:30:00-05:00"', '"updated_at": "2022-01-01T09:31:00-05:00"']]),
  );
  shopify(
    'fulfillments/create',
    'fulfillments/create',
    edit(samples.fulfillment, [
      [SAMPLE_ORDER_ID, ids.orderId],
      [SAMPLE_FULFILLMENT_TRACKING, ids.tracking],
      ['2021-12-31T19:00:00-05:00', '2022-01-02T08:00:00-05:00'],
    ]),
  );
  shopify(
    'orders/updated',
    'orders/updated',
    edit(paid, [
      // The first `"fulfillment_status": null` is the order's own (the line items' follow).
      [
        '"fulfillment_status": null,\n  "landing_site"',
        '"fulfillment_status": "fulfilled",\n  "landing_site"',
      ],
      ['"updated_at": "2022-01-01T09:30:00-05:00"', '"updated_at": "2022-01-02T08:05:00-05:00"'],
    ]),
  );

  // AfterShip reports the UPS parcel the fulfillment named, in January 2022 (the samples: May 2021).
  const tracking = (sample: string, eventId: string, checkpoints?: number) => {
    const body = JSON.parse(sample);
    body.event_id = eventId;
    if (checkpoints) body.msg.checkpoints = body.msg.checkpoints.slice(0, checkpoints);
    return JSON.stringify(body)
      .replaceAll(SAMPLE_AFTERSHIP_TRACKING, ids.tracking)
      .replaceAll('"usps"', '"ups"')
      .replaceAll('2021-05-', '2022-01-');
  };
  for (const count of [5, 6, 7])
    aftership(
      `in transit (${count} checkpoints)`,
      tracking(samples.inTransit, `bench-${run}-${i}-transit-${count}`, count),
    );
  aftership('delivered', tracking(samples.delivered, `bench-${run}-${i}-delivered`));

  if (withReturn) {
    const returnEdits: Array<[string, string]> = [
      [SAMPLE_RETURN_ORDER_ID, ids.orderId],
      [SAMPLE_RETURN_ID, `12${run}${seq}`.padEnd(15, '0').slice(0, 15)],
    ];
    shopify('returns/request', 'returns/request', edit(samples.returnRequest, returnEdits));
    shopify('returns/approve', 'returns/approve', edit(samples.returnApprove, returnEdits));
    shopify(
      'refunds/create',
      'refunds/create',
      edit(samples.refund, [
        [SAMPLE_ORDER_ID, ids.orderId],
        [SAMPLE_REFUND_ID, `89${run}${seq}`.padEnd(18, '0').slice(0, 18)],
      ]),
    );
    shopify('orders/updated', 'orders/updated', shopifyOrder(samples.updated));
  }
  return webhooks;
}
