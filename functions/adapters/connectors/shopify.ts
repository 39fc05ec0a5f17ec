import type * as z from 'zod';
import type { CanonicalEventInput, OrderFacts } from '../../../schemas/events.ts';
import type { CaseStatus, FulfillmentState } from '../../../schemas/names.ts';
import {
  type ShopifyAddress,
  ShopifyFulfillment,
  ShopifyOrder,
  ShopifyRefund,
  ShopifyReturn,
} from '../../../schemas/providers/shopify.ts';
import type { Connector, ParseContext, ParseResult, RawRequest } from '../../app/connectors.ts';
import { sha256 } from '../../lib/crypto.ts';
import { UnparseablePayloadError } from '../../lib/errors.ts';
import { readJson } from '../../lib/json.ts';
import { toMinorUnits } from '../../lib/money.ts';
import { parseInstant, toInstant } from '../../lib/time.ts';
import { addressFacts, customerFacts, firstGiven, joinName } from './contact.ts';
import { verifyHmacBase64 } from './signatures.ts';
import { bodyText } from './text.ts';
import { ZONE_LESS } from './times.ts';

/*
 * Shopify: `X-Shopify-Hmac-Sha256` = base64(HMAC-SHA256(app secret, raw body)).
 *
 * Order webhooks carry a full snapshot of the order, and Shopify neither orders nor guarantees its
 * deliveries, so every orders/* topic yields every fact the snapshot proves (paid, shipped, refunded,
 * cancelled), whichever topic brought it. A lost orders/paid is then repaired by the next
 * orders/updated. Each fact keeps its own time from the payload (processed_at, the fulfillment's and
 * the refund's own timestamps), so the same fact reached through two topics carries the same times.
 */

type OrderFactsInput = z.input<typeof OrderFacts>;

const ORDER_TOPICS = new Set([
  'orders/create',
  'orders/updated',
  'orders/paid',
  'orders/cancelled',
  'orders/fulfilled',
  'orders/partially_fulfilled',
]);
const FULFILLMENT_TOPICS = new Set(['fulfillments/create', 'fulfillments/update']);
/** Return topics and where each leaves the request, in our case words. */
const RETURN_TOPICS: Record<string, CaseStatus> = {
  'returns/request': 'requested',
  'returns/approve': 'approved',
  'returns/decline': 'rejected',
  'returns/close': 'closed',
  'returns/cancel': 'cancelled',
  // A reopened return is open (approved) again.
  'returns/reopen': 'approved',
};

/**
 * Fully paid orders. `partially_paid` is not a payment of the order (and `authorized` is not captured):
 * they stay visible in `providerStatus` only.
 */
const PAID_STATUSES = new Set(['paid', 'partially_refunded', 'refunded']);
const FULFILLMENT: Record<string, FulfillmentState> = {
  fulfilled: 'fulfilled',
  partial: 'partially_fulfilled',
  restocked: 'unfulfilled',
};
/** Fulfillments that shipped nothing. */
const DEAD_FULFILLMENTS = new Set(['cancelled', 'error', 'failure']);

export function verifyShopifySignature(req: RawRequest, secrets: string[]): boolean {
  return verifyHmacBase64(req.body, req.headers['x-shopify-hmac-sha256'], secrets);
}

export const shopify: Connector = {
  provider: 'shopify',
  verify: (req, config) => verifyShopifySignature(req, config.secrets),
  dedupeKey(req) {
    // The event id is shared by every retry of one event; the webhook id is only a fallback.
    const id = req.headers['x-shopify-event-id']?.trim() || req.headers['x-shopify-webhook-id']?.trim();
    if (id && id.length <= 200) return id;
    return `sha256:${sha256(req.body)}`;
  },
  topic: (req) => req.headers['x-shopify-topic']?.trim() || undefined,
  parse(req, ctx): ParseResult {
    const topic = req.headers['x-shopify-topic']?.trim();
    if (!topic) return { kind: 'ignored', reason: 'no x-shopify-topic header' };
    if (ORDER_TOPICS.has(topic)) {
      const order = readBody(req, ShopifyOrder, 'order');
      return { kind: 'events', events: orderEvents(order, topic === 'orders/create', ctx) };
    }
    if (FULFILLMENT_TOPICS.has(topic)) {
      const fulfillment = readBody(req, ShopifyFulfillment, 'fulfillment');
      const events = shipmentEvents(fulfillment, ctx);
      if (events.length > 0) return { kind: 'events', events };
      // No tracking number, no shipment to follow: the orders/* snapshots carry the fulfillment state.
      return {
        kind: 'ignored',
        reason: `fulfillment ${fulfillment.id} (${fulfillment.status ?? 'no status'}) has no tracking number`,
      };
    }
    if (topic === 'refunds/create') {
      const refund = readBody(req, ShopifyRefund, 'refund');
      return { kind: 'events', events: [refundEvent(refund, {}, ctx)] };
    }
    const returnStatus = RETURN_TOPICS[topic];
    if (returnStatus) {
      return {
        kind: 'events',
        events: [returnEvent(readBody(req, ShopifyReturn, 'return'), returnStatus, req, ctx)],
      };
    }
    return { kind: 'ignored', reason: `topic ${topic} is not used` };
  },
};

function readBody<S extends z.ZodType>(req: RawRequest, schema: S, what: string): z.infer<S> {
  return readJson(bodyText(req), schema, {
    notJson: 'body is not valid JSON',
    invalid: `body is not a Shopify ${what}`,
  });
}

function orderEvents(order: ShopifyOrder, created: boolean, ctx: ParseContext): CanonicalEventInput[] {
  const base = { provider: 'shopify' as const, orderId: order.id };
  const occurredAt = toIso(order.updated_at ?? order.created_at);
  const events: CanonicalEventInput[] = [
    {
      ...base,
      type: created ? 'OrderPlaced' : 'OrderUpdated',
      eventId: ctx.eventId('order'),
      occurredAt,
      order: orderFacts(order),
    },
  ];
  if (order.financial_status && PAID_STATUSES.has(order.financial_status)) {
    // Order payloads carry no transaction times; processed_at is the same in every snapshot.
    const paidAt = toIso(order.processed_at ?? order.created_at);
    events.push({ ...base, type: 'OrderPaid', eventId: ctx.eventId('paid'), occurredAt, paidAt });
  }
  for (const fulfillment of order.fulfillments ?? []) events.push(...shipmentEvents(fulfillment, ctx));
  const currencies = { shop: order.currency, presentment: order.presentment_currency ?? undefined };
  for (const refund of order.refunds ?? []) events.push(refundEvent(refund, currencies, ctx));
  if (order.cancelled_at) {
    events.push({
      ...base,
      type: 'OrderCancelled',
      eventId: ctx.eventId('cancelled'),
      occurredAt,
      cancelledAt: toIso(order.cancelled_at),
      reason: order.cancel_reason ?? undefined,
    });
  }
  return events;
}

function orderFacts(order: ShopifyOrder): OrderFactsInput {
  const currency = order.currency;
  const minor = (amount: string | number) => toMinorUnits(amount, currency);
  const shipping = order.total_shipping_price_set?.shop_money?.amount;
  return {
    number: order.name ?? undefined,
    currency,
    lines: (order.line_items ?? []).map((line) => {
      const unitPrice = minor(line.price);
      const allocations = line.discount_allocations ?? [];
      // discount_allocations replaced the deprecated total_discount; use it whenever it is present.
      const discount =
        allocations.length > 0
          ? allocations.reduce((sum, a) => sum + minor(a.amount), 0)
          : minor(line.total_discount ?? 0);
      return {
        lineId: line.id,
        sku: line.sku || undefined,
        productId: line.product_id ?? undefined,
        variantId: line.variant_id ?? undefined,
        title: line.title ?? line.name ?? `line ${line.id}`,
        variantTitle: line.variant_title || undefined,
        quantity: line.quantity,
        unitPrice,
        total: unitPrice * line.quantity - discount,
      };
    }),
    totals: {
      subtotal: order.subtotal_price == null ? undefined : minor(order.subtotal_price),
      shipping: shipping == null ? undefined : minor(shipping),
      tax: order.total_tax == null ? undefined : minor(order.total_tax),
      discount: order.total_discounts == null ? undefined : minor(order.total_discounts),
      total: minor(order.total_price),
    },
    customer: customerOf(order),
    shippingAddress: addressOf(order.shipping_address),
    placedAt: toIso(order.created_at),
    fulfillment: FULFILLMENT[order.fulfillment_status ?? ''] ?? 'unfulfilled',
    providerStatus: `${order.financial_status ?? 'unknown'}/${order.fulfillment_status ?? 'unfulfilled'}`,
    note: order.note || undefined,
  };
}

function customerOf(order: ShopifyOrder): OrderFactsInput['customer'] {
  const customer = order.customer;
  return customerFacts({
    externalId: customer?.id ?? undefined,
    // The order's own contact is what the buyer gave for this order; the account's may be older.
    email: firstGiven(order.email, order.contact_email, customer?.email),
    phone: firstGiven(order.phone, customer?.phone),
    name: joinName(customer?.first_name, customer?.last_name),
    acceptsMarketing: order.buyer_accepts_marketing,
  });
}

function addressOf(address: ShopifyAddress | null | undefined): OrderFactsInput['shippingAddress'] {
  if (!address) return undefined;
  return addressFacts({
    name: firstGiven(address.name, joinName(address.first_name, address.last_name)),
    phone: address.phone,
    country: firstGiven(address.country_code, address.country),
    province: firstGiven(address.province, address.province_code),
    city: address.city,
    address1: address.address1,
    address2: address.address2,
    postalCode: address.zip,
  });
}

/** One ShipmentCreated per tracking number; a fulfillment without one ships nothing we can follow. */
function shipmentEvents(fulfillment: ShopifyFulfillment, ctx: ParseContext): CanonicalEventInput[] {
  if (fulfillment.status && DEAD_FULFILLMENTS.has(fulfillment.status)) return [];
  const numbers = fulfillment.tracking_numbers?.length
    ? fulfillment.tracking_numbers
    : fulfillment.tracking_number
      ? [fulfillment.tracking_number]
      : [];
  const urls = fulfillment.tracking_urls?.length
    ? fulfillment.tracking_urls
    : fulfillment.tracking_url
      ? [fulfillment.tracking_url]
      : [];
  const lines = (fulfillment.line_items ?? [])
    .filter((line) => line.quantity > 0)
    .map((line) => ({ lineId: line.id, quantity: line.quantity }));
  const seen = new Set<string>();
  const events: CanonicalEventInput[] = [];
  numbers.forEach((raw, i) => {
    const trackingNumber = raw.trim();
    if (!trackingNumber || seen.has(trackingNumber)) return;
    seen.add(trackingNumber);
    events.push({
      type: 'ShipmentCreated',
      eventId: ctx.eventId(`shipment:${fulfillment.id}:${trackingNumber}`),
      provider: 'shopify',
      occurredAt: toIso(fulfillment.updated_at ?? fulfillment.created_at),
      orderId: fulfillment.order_id,
      fulfillmentId: fulfillment.id,
      // The raw company name ("UPS", "Other"); the core normalises carrier codes.
      carrier: fulfillment.tracking_company || undefined,
      trackingNumber,
      trackingUrl: urls[i] || undefined,
      direction: 'outbound',
      lines: lines.length > 0 ? lines : undefined,
      shippedAt: toIso(fulfillment.created_at),
    });
  });
  return events;
}

interface Currencies {
  /** The shop's currency (shop_money amounts). */
  shop?: string;
  /** The buyer's currency, in which transactions are made. */
  presentment?: string;
}

/**
 * The refunded amount is what actually went back: the successful refund transactions. A refund with
 * none (store credit, a refund recorded without money moving) falls back to the refunded lines'
 * subtotal plus tax, in shop money.
 */
function refundEvent(refund: ShopifyRefund, known: Currencies, ctx: ParseContext): CanonicalEventInput {
  const sets = [
    refund.total_duties_set,
    ...(refund.refund_line_items ?? []).flatMap((l) => [l.subtotal_set, l.total_tax_set]),
  ];
  const shop = known.shop ?? sets.find((s) => s?.shop_money)?.shop_money?.currency_code;
  const presentment =
    known.presentment ?? sets.find((s) => s?.presentment_money)?.presentment_money?.currency_code;
  const money = refundMoney(refund, presentment ?? shop, shop);
  const lines = (refund.refund_line_items ?? [])
    .filter((line) => line.quantity > 0)
    .map((line) => ({ lineId: line.line_item_id, quantity: line.quantity }));
  return {
    type: 'OrderRefunded',
    eventId: ctx.eventId(`refund:${refund.id}`),
    provider: 'shopify',
    occurredAt: toIso(refund.processed_at ?? refund.created_at),
    orderId: refund.order_id,
    refundId: refund.id,
    amount: money.amount,
    currency: money.currency,
    reason: refund.note || undefined,
    lines: lines.length > 0 ? lines : undefined,
  };
}

function refundMoney(
  refund: ShopifyRefund,
  transactionCurrency: string | undefined,
  shopCurrency: string | undefined,
): { amount: number; currency: string } {
  const paid = (refund.transactions ?? []).filter((t) => t.kind === 'refund' && t.status === 'success');
  if (paid.length > 0) {
    const currencies = new Set(paid.map((t) => t.currency || transactionCurrency));
    const [currency] = currencies;
    if (!currency || currencies.size > 1) {
      throw new UnparseablePayloadError(`refund ${refund.id}: cannot tell the currency of its transactions`);
    }
    return { amount: paid.reduce((sum, t) => sum + toMinorUnits(t.amount, currency), 0), currency };
  }
  if (!shopCurrency) throw new UnparseablePayloadError(`refund ${refund.id}: no currency in the payload`);
  const amount = (refund.refund_line_items ?? []).reduce((sum, line) => {
    const subtotal = line.subtotal_set?.shop_money?.amount ?? line.subtotal ?? 0;
    const tax = line.total_tax_set?.shop_money?.amount ?? line.total_tax ?? 0;
    return sum + toMinorUnits(subtotal, shopCurrency) + toMinorUnits(tax, shopCurrency);
  }, 0);
  return { amount, currency: shopCurrency };
}

function returnEvent(
  ret: ShopifyReturn,
  status: CaseStatus,
  req: RawRequest,
  ctx: ParseContext,
): CanonicalEventInput {
  const orderId = ret.order?.id ?? ret.order_id ?? gidTail(ret.order?.admin_graphql_api_id);
  if (!orderId) throw new UnparseablePayloadError(`return ${ret.id} names no order`);
  const lines = (ret.return_line_items ?? []).flatMap((line) => {
    const lineId = line.fulfillment_line_item?.line_item?.id;
    return lineId && line.quantity && line.quantity > 0 ? [{ lineId, quantity: line.quantity }] : [];
  });
  return {
    type: 'AfterSaleRequested',
    eventId: ctx.eventId(`return:${ret.id}:${status}`),
    provider: 'shopify',
    occurredAt: triggeredAt(req) ?? ctx.receivedAt,
    orderId,
    requestId: ret.id,
    caseType: 'return_refund',
    status,
    providerStatus: ret.status ?? undefined,
    reason: returnReason(ret),
    lines: lines.length > 0 ? lines : undefined,
  };
}

function returnReason(ret: ShopifyReturn): string | undefined {
  if (ret.decline) return [ret.decline.reason, ret.decline.note].filter(Boolean).join(': ') || undefined;
  const reasons = (ret.return_line_items ?? []).map((line) =>
    [line.return_reason, line.return_reason_note || line.customer_note].filter(Boolean).join(': '),
  );
  return [...new Set(reasons.filter(Boolean))].join('; ') || undefined;
}

/** Return payloads carry no timestamp; Shopify's own time of the event is in this header. */
function triggeredAt(req: RawRequest): string | undefined {
  return parseInstant(req.headers['x-shopify-triggered-at'], ZONE_LESS.shopify);
}

function gidTail(gid: string | null | undefined): string | undefined {
  return gid?.match(/\/(\d+)$/)?.[1];
}

/** Shopify times carry their offset ("2021-12-31T19:00:00-05:00"); one without is refused (times.ts). */
function toIso(value: string): string {
  return toInstant(value, ZONE_LESS.shopify);
}
