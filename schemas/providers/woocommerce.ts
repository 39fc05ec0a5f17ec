import * as z from 'zod';
import { IdString } from '../common.ts';

/*
 * WooCommerce webhook payloads: for order.created/updated/restored the body is the REST API order
 * (wc/v3), for order.deleted only `{"id": N}`. WooCommerce does not retry and disables a webhook after
 * a few failures, and plugins reshape orders freely, so the schema is as lenient as it can be: apart
 * from the order id every field falls back to "absent" when it is missing or of an unexpected type,
 * and a malformed line, refund or meta entry is dropped rather than failing the order.
 */

/** A field that reads as `undefined` whenever it is missing, null or not of the expected type. */
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
/** An array whose malformed entries are dropped. */
const lenientArray = <T extends z.ZodType>(item: T) =>
  z
    .array(z.unknown())
    .nullish()
    .catch(undefined)
    .transform((items): z.infer<T>[] =>
      (items ?? []).flatMap((entry) => {
        const parsed = item.safeParse(entry);
        return parsed.success ? [parsed.data as z.infer<T>] : [];
      }),
    );

const Text = lenient(z.string());
/** Amounts are decimal strings ("29.35"); a few fields (`price`) are JSON numbers. */
const Amount = lenient(z.union([z.string(), z.number()]));

export const WooAddress = z.looseObject({
  first_name: Text,
  last_name: Text,
  company: Text,
  address_1: Text,
  address_2: Text,
  city: Text,
  state: Text,
  postcode: Text,
  country: Text,
  email: Text,
  phone: Text,
});
export type WooAddress = z.infer<typeof WooAddress>;

export const WooMeta = z.looseObject({ key: z.string(), value: z.unknown() });

export const WooLineItem = z.looseObject({
  id: IdString,
  name: Text,
  product_id: lenient(IdString),
  variation_id: lenient(IdString),
  quantity: lenient(z.number().int().nonnegative()),
  sku: Text,
  /** Line subtotal before discounts, all units. */
  subtotal: Amount,
  /** Line total after discounts, all units. */
  total: Amount,
});
export type WooLineItem = z.infer<typeof WooLineItem>;

/** An entry of the order's `refunds`: `total` is negative ("-10.00"). */
export const WooRefund = z.looseObject({
  id: IdString,
  reason: Text,
  total: z.union([z.string(), z.number()]),
});

export const WooOrder = z.looseObject({
  id: IdString,
  number: lenient(z.union([z.string(), z.number()])),
  /** pending, processing, on-hold, completed, cancelled, refunded, failed, trash, checkout-draft, or a plugin's. */
  status: Text,
  currency: Text,
  // Woo's *_gmt dates are UTC without an offset ("2017-03-22T19:28:08").
  date_created_gmt: Text,
  date_modified_gmt: Text,
  date_paid_gmt: Text,
  date_completed_gmt: Text,
  discount_total: Amount,
  shipping_total: Amount,
  total_tax: Amount,
  total: Amount,
  customer_id: lenient(IdString),
  customer_note: Text,
  billing: lenient(WooAddress),
  shipping: lenient(WooAddress),
  line_items: lenientArray(WooLineItem),
  refunds: lenientArray(WooRefund),
  meta_data: lenientArray(WooMeta),
});
export type WooOrder = z.infer<typeof WooOrder>;

/** What identifies any order payload, including order.deleted's bare `{"id": N}`. */
export const WooResourceHead = z.looseObject({ id: IdString, date_modified_gmt: Text });

/**
 * One entry of the Shipment Tracking extension's `_wc_shipment_tracking_items` order meta.
 * `date_shipped` is unix seconds (a digit string or a number).
 */
export const WooShipmentTrackingItem = z.looseObject({
  tracking_provider: Text,
  custom_tracking_provider: Text,
  custom_tracking_link: Text,
  tracking_number: z.union([z.string(), z.number()]).transform(String),
  date_shipped: lenient(z.union([z.string(), z.number()])),
  tracking_id: Text,
});
export type WooShipmentTrackingItem = z.infer<typeof WooShipmentTrackingItem>;
