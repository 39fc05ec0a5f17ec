import * as z from 'zod';
import type { CanonicalEventInput, OrderFacts } from '../../../schemas/events.ts';
import type { FulfillmentState } from '../../../schemas/names.ts';
import {
  type WooAddress,
  type WooLineItem,
  WooOrder,
  WooResourceHead,
  WooShipmentTrackingItem,
} from '../../../schemas/providers/woocommerce.ts';
import type { Connector, ParseContext, ParseResult, RawRequest } from '../../app/connectors.ts';
import { sha256 } from '../../lib/crypto.ts';
import { UnparseablePayloadError } from '../../lib/errors.ts';
import { readJson } from '../../lib/json.ts';
import { toMinorUnits } from '../../lib/money.ts';
import { parseInstant, unixSecondsToIso } from '../../lib/time.ts';
import { addressFacts, customerFacts, firstGiven, joinName } from './contact.ts';
import { verifyHmacBase64 } from './signatures.ts';
import { bodyText } from './text.ts';
import { ZONE_LESS } from './times.ts';

/*
 * WooCommerce: `X-WC-Webhook-Signature` = base64(HMAC-SHA256(secret, raw body)), over the body exactly
 * as WordPress encoded it (wp_json_encode escapes "/" as "\/", so a re-serialised body never verifies).
 *
 * WooCommerce does not retry and disables a webhook after more than 5 consecutive failures, so the
 * parts that run at ingest (isPing, verify, dedupeKey) only read what they must, and the order schema
 * drops what it cannot read instead of rejecting the order.
 */

type OrderFactsInput = z.input<typeof OrderFacts>;

const ORDER_TOPICS = new Set(['order.created', 'order.updated', 'order.deleted', 'order.restored']);
const DELETED = 'deleted in WooCommerce';
/** Statuses in which nothing has shipped yet. */
const UNFULFILLED = new Set(['pending', 'processing', 'on-hold', 'failed', 'checkout-draft']);
/** Statuses Woo only reaches once the order was paid. */
const PAID = new Set(['processing', 'completed', 'refunded']);
const TRACKING_META = '_wc_shipment_tracking_items';

export function verifyWooSignature(req: RawRequest, secrets: string[]): boolean {
  // WooCommerce signs with an empty secret too (its own test vector does).
  return verifyHmacBase64(req.body, req.headers['x-wc-webhook-signature'], secrets, {
    allowEmptySecret: true,
  });
}

export const woocommerce: Connector = {
  provider: 'woocommerce',
  isPing(req) {
    // Saving a webhook in WooCommerce posts an unsigned form body `webhook_id=N` and wants a 200.
    if (req.headers['x-wc-webhook-signature']) return false;
    const type = req.headers['content-type']?.toLowerCase();
    if (type && !type.startsWith('application/x-www-form-urlencoded')) return false;
    return req.body.length <= 64 && /^webhook_id=\d+$/.test(req.body.toString('utf8').trim());
  },
  verify: (req, config) => verifyWooSignature(req, config.secrets),
  dedupeKey(req) {
    // The delivery id changes with every delivery; the order's id and modification time name the fact.
    const topic = wooTopic(req) ?? 'unknown';
    const head = WooResourceHead.safeParse(readBody(req));
    if (!head.success) throw new UnparseablePayloadError('body has no resource id');
    const { id, date_modified_gmt: modified } = head.data;
    if (modified) return `${topic}:${id}:${modified}`;
    // order.deleted is a bare {"id": N}: a later delete of the restored order must not look like a replay.
    return `${topic}:${id}:${req.headers['x-wc-webhook-delivery-id']?.trim() || sha256(req.body)}`;
  },
  topic: wooTopic,
  parse(req, ctx): ParseResult {
    const topic = wooTopic(req);
    if (!topic || !ORDER_TOPICS.has(topic))
      return { kind: 'ignored', reason: `topic ${topic ?? '(none)'} is not used` };
    const json = readBody(req);
    if (topic === 'order.deleted') {
      const head = WooResourceHead.safeParse(json);
      if (!head.success) throw new UnparseablePayloadError('order.deleted body has no order id');
      // The payload is only the id: the time we received it is the best time there is.
      const at = ctx.receivedAt;
      return {
        kind: 'events',
        events: [
          {
            type: 'OrderCancelled',
            eventId: ctx.eventId('deleted'),
            provider: 'woocommerce',
            orderId: head.data.id,
            occurredAt: at,
            cancelledAt: at,
            reason: DELETED,
          },
        ],
      };
    }
    const order = WooOrder.safeParse(json);
    if (!order.success) {
      throw new UnparseablePayloadError('body is not a WooCommerce order', z.treeifyError(order.error));
    }
    return { kind: 'events', events: orderEvents(order.data, topic, ctx) };
  },
};

function wooTopic(req: RawRequest): string | undefined {
  const topic = req.headers['x-wc-webhook-topic']?.trim();
  if (topic) return topic;
  const resource = req.headers['x-wc-webhook-resource']?.trim();
  const event = req.headers['x-wc-webhook-event']?.trim();
  return resource && event ? `${resource}.${event}` : undefined;
}

function readBody(req: RawRequest): unknown {
  return readJson(bodyText(req), z.unknown(), { notJson: 'body is not valid JSON', invalid: '' });
}

function orderEvents(order: WooOrder, topic: string, ctx: ParseContext): CanonicalEventInput[] {
  const base = { provider: 'woocommerce' as const, orderId: order.id };
  const occurredAt = gmtToIso(order.date_modified_gmt) ?? gmtToIso(order.date_created_gmt) ?? ctx.receivedAt;
  const status = order.status ?? undefined;
  const facts = orderFacts(order);
  const events: CanonicalEventInput[] = [
    topic === 'order.restored'
      ? { ...base, type: 'OrderRestored', eventId: ctx.eventId('restored'), occurredAt, order: facts }
      : {
          ...base,
          type: topic === 'order.created' ? 'OrderPlaced' : 'OrderUpdated',
          eventId: ctx.eventId('order'),
          occurredAt,
          order: facts,
        },
  ];
  if (status && PAID.has(status)) {
    // Woo stamps date_paid when an order enters processing; without it only processing proves payment.
    const paidAt = gmtToIso(order.date_paid_gmt) ?? (status === 'processing' ? occurredAt : undefined);
    if (paidAt) events.push({ ...base, type: 'OrderPaid', eventId: ctx.eventId('paid'), occurredAt, paidAt });
  }
  for (const item of trackingItems(order)) {
    events.push({
      ...base,
      type: 'ShipmentCreated',
      eventId: ctx.eventId(`shipment:${item.tracking_number}`),
      occurredAt,
      fulfillmentId: item.tracking_id || undefined,
      carrier: item.custom_tracking_provider || item.tracking_provider || undefined,
      trackingNumber: item.tracking_number,
      trackingUrl: item.custom_tracking_link || undefined,
      direction: 'outbound',
      shippedAt: shippedAt(item.date_shipped) ?? occurredAt,
    });
  }
  if (order.refunds.length > 0) {
    const currency = order.currency;
    if (!currency) throw new UnparseablePayloadError(`order ${order.id} has refunds but no currency`);
    for (const refund of order.refunds) {
      events.push({
        ...base,
        type: 'OrderRefunded',
        eventId: ctx.eventId(`refund:${refund.id}`),
        occurredAt,
        refundId: refund.id,
        // Woo lists refunds as negative totals ("-10.00").
        amount: Math.abs(toMinorUnits(refund.total, currency)),
        currency,
        reason: refund.reason || undefined,
      });
    }
  }
  if (status === 'cancelled' || status === 'trash') {
    events.push({
      ...base,
      type: 'OrderCancelled',
      eventId: ctx.eventId('cancelled'),
      occurredAt,
      cancelledAt: occurredAt,
      reason: status === 'trash' ? DELETED : undefined,
    });
  }
  return events;
}

function orderFacts(order: WooOrder): OrderFactsInput {
  const currency = order.currency ?? undefined;
  const minor = (amount: string | number | undefined) => tryMinorUnits(amount, currency);
  const lines = order.line_items.flatMap((line) => lineFacts(line, currency));
  const lineSubtotals = order.line_items.map((line) => minor(line.subtotal));
  const total = minor(order.total);
  const status = order.status ?? undefined;
  return {
    number: String(order.number ?? order.id),
    currency,
    lines,
    totals:
      total === undefined
        ? undefined
        : {
            // Woo has no order subtotal; the lines' subtotals (before discounts) add up to it.
            subtotal: lineSubtotals.every((s) => s !== undefined)
              ? lineSubtotals.reduce((sum: number, s) => sum + (s ?? 0), 0)
              : undefined,
            shipping: minor(order.shipping_total),
            tax: minor(order.total_tax),
            discount: minor(order.discount_total),
            total,
          },
    customer: customerOf(order),
    shippingAddress: addressOf(order.shipping),
    placedAt: gmtToIso(order.date_created_gmt),
    fulfillment: fulfillmentOf(status),
    providerStatus: status,
    note: order.customer_note || undefined,
  };
}

function fulfillmentOf(status: string | undefined): FulfillmentState | undefined {
  if (status === 'completed') return 'fulfilled';
  return status && UNFULFILLED.has(status) ? 'unfulfilled' : undefined;
}

function lineFacts(line: WooLineItem, currency: string | undefined): NonNullable<OrderFactsInput['lines']> {
  const subtotal = tryMinorUnits(line.subtotal, currency);
  const total = tryMinorUnits(line.total, currency) ?? subtotal;
  if (subtotal === undefined || total === undefined) return [];
  const quantity = line.quantity ?? 0;
  return [
    {
      lineId: line.id,
      sku: line.sku || undefined,
      // Woo uses 0 for "no product" and "no variation".
      productId: line.product_id && line.product_id !== '0' ? line.product_id : undefined,
      variantId: line.variation_id && line.variation_id !== '0' ? line.variation_id : undefined,
      title: decodeEntities(line.name || `item ${line.id}`),
      quantity,
      // Woo's own `price` is a float; the unit price is derived from the exact subtotal instead.
      unitPrice: quantity > 0 ? Math.round(subtotal / quantity) : subtotal,
      total,
    },
  ];
}

function customerOf(order: WooOrder): OrderFactsInput['customer'] {
  const billing = order.billing;
  return customerFacts({
    // 0 is a guest checkout.
    externalId: order.customer_id && order.customer_id !== '0' ? order.customer_id : undefined,
    email: billing?.email,
    phone: firstGiven(billing?.phone, order.shipping?.phone),
    name: firstGiven(
      joinName(billing?.first_name, billing?.last_name),
      joinName(order.shipping?.first_name, order.shipping?.last_name),
    ),
  });
}

function addressOf(address: WooAddress | undefined): OrderFactsInput['shippingAddress'] {
  // Virtual orders carry a shipping block with nothing that locates a parcel (a country at most).
  if (!address || !firstGiven(address.address_1, address.city, address.postcode)) return undefined;
  return addressFacts({
    name: joinName(address.first_name, address.last_name),
    phone: address.phone,
    country: address.country,
    province: address.state,
    city: address.city,
    address1: address.address_1,
    address2: address.address_2,
    postalCode: address.postcode,
  });
}

/** Tracking numbers the Shipment Tracking extension (or AST, same meta) stored on the order. */
function trackingItems(order: WooOrder): WooShipmentTrackingItem[] {
  const seen = new Set<string>();
  return order.meta_data
    .filter((meta) => meta.key === TRACKING_META)
    .flatMap((meta) => {
      // PHP arrays with gaps in their keys arrive as JSON objects.
      const value = meta.value;
      if (Array.isArray(value)) return value;
      return value && typeof value === 'object' ? Object.values(value) : [];
    })
    .flatMap((entry) => {
      const item = WooShipmentTrackingItem.safeParse(entry);
      if (!item.success) return [];
      const trackingNumber = item.data.tracking_number.trim();
      if (!trackingNumber || seen.has(trackingNumber)) return [];
      seen.add(trackingNumber);
      return [{ ...item.data, tracking_number: trackingNumber }];
    });
}

function shippedAt(value: string | number | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    return unixSecondsToIso(value);
  } catch {
    return gmtToIso(String(value));
  }
}

/** Woo's `*_gmt` dates have no offset and are UTC (times.ts); only those are read. */
function gmtToIso(value: string | undefined | null): string | undefined {
  return parseInstant(value, ZONE_LESS.woocommerce);
}

/** A descriptive amount: absent rather than fatal when it cannot be read exactly. */
function tryMinorUnits(
  amount: string | number | undefined,
  currency: string | undefined,
): number | undefined {
  if (amount === undefined || amount === '' || !currency) return undefined;
  try {
    return toMinorUnits(amount, currency);
  } catch {
    return undefined;
  }
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ndash: '\u2013',
  mdash: '\u2014',
  times: '\u00d7',
};

/** Woo stores product names HTML-escaped ("Ship Your Idea &ndash; Color: Black"). */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code =
        name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}
