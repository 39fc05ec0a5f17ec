import * as z from 'zod';
import { IdString } from '../common.ts';

/*
 * Shopify webhook payloads (REST representation, snake_case), as far as the connector reads them.
 * Shopify adds fields with every API version, so every object is loose and only what we use is named.
 * Ids above 2^53 arrive as strings from `parseJsonSafe`; `IdString` turns every id into a string.
 */

const Text = z.string().nullish();
/** A decimal amount: a string ("89.99") in current payloads, a number in a few legacy fields. */
const Amount = z.union([z.string(), z.number()]);

const Money = z.looseObject({ amount: Amount, currency_code: z.string() });
export const ShopifyMoneySet = z.looseObject({
  shop_money: Money.nullish(),
  presentment_money: Money.nullish(),
});

export const ShopifyAddress = z.looseObject({
  name: Text,
  first_name: Text,
  last_name: Text,
  phone: Text,
  address1: Text,
  address2: Text,
  city: Text,
  province: Text,
  province_code: Text,
  country: Text,
  country_code: Text,
  zip: Text,
});
export type ShopifyAddress = z.infer<typeof ShopifyAddress>;

export const ShopifyCustomer = z.looseObject({
  id: IdString.nullish(),
  email: Text,
  phone: Text,
  first_name: Text,
  last_name: Text,
});

export const ShopifyLineItem = z.looseObject({
  id: IdString,
  product_id: IdString.nullish(),
  variant_id: IdString.nullish(),
  title: Text,
  name: Text,
  variant_title: Text,
  sku: Text,
  quantity: z.number().int().nonnegative(),
  price: Amount,
  total_discount: Amount.nullish(),
  discount_allocations: z.array(z.looseObject({ amount: Amount })).nullish(),
});
export type ShopifyLineItem = z.infer<typeof ShopifyLineItem>;

/** The body of fulfillments/create and fulfillments/update, and each entry of an order's `fulfillments`. */
export const ShopifyFulfillment = z.looseObject({
  id: IdString,
  order_id: IdString,
  /** pending, open, success, cancelled, error, failure. */
  status: Text,
  created_at: z.string(),
  updated_at: Text,
  tracking_company: Text,
  tracking_number: Text,
  tracking_numbers: z.array(z.string()).nullish(),
  tracking_url: Text,
  tracking_urls: z.array(z.string()).nullish(),
  line_items: z.array(z.looseObject({ id: IdString, quantity: z.number().int() })).nullish(),
});
export type ShopifyFulfillment = z.infer<typeof ShopifyFulfillment>;

export const ShopifyTransaction = z.looseObject({
  id: IdString.nullish(),
  kind: Text,
  status: Text,
  amount: Amount,
  currency: Text,
});

/** The body of refunds/create, and each entry of an order's `refunds`. */
export const ShopifyRefund = z.looseObject({
  id: IdString,
  order_id: IdString,
  created_at: z.string(),
  processed_at: Text,
  note: Text,
  refund_line_items: z
    .array(
      z.looseObject({
        line_item_id: IdString,
        quantity: z.number().int(),
        subtotal: Amount.nullish(),
        total_tax: Amount.nullish(),
        subtotal_set: ShopifyMoneySet.nullish(),
        total_tax_set: ShopifyMoneySet.nullish(),
      }),
    )
    .nullish(),
  transactions: z.array(ShopifyTransaction).nullish(),
  total_duties_set: ShopifyMoneySet.nullish(),
});
export type ShopifyRefund = z.infer<typeof ShopifyRefund>;

/** The body of every orders/* topic: a full snapshot of the order. */
export const ShopifyOrder = z.looseObject({
  id: IdString,
  /** The display number ("#1001"); `order_number` is the same without the shop's prefix. */
  name: Text,
  email: Text,
  contact_email: Text,
  phone: Text,
  currency: z.string(),
  presentment_currency: Text,
  created_at: z.string(),
  updated_at: Text,
  processed_at: Text,
  cancelled_at: Text,
  cancel_reason: Text,
  /** pending, authorized, partially_paid, paid, partially_refunded, refunded, voided, expired. */
  financial_status: Text,
  /** null (nothing shipped), partial, fulfilled, restocked. */
  fulfillment_status: Text,
  buyer_accepts_marketing: z.boolean().nullish(),
  note: Text,
  subtotal_price: Amount.nullish(),
  total_price: Amount,
  total_tax: Amount.nullish(),
  total_discounts: Amount.nullish(),
  total_shipping_price_set: ShopifyMoneySet.nullish(),
  customer: ShopifyCustomer.nullish(),
  shipping_address: ShopifyAddress.nullish(),
  line_items: z.array(ShopifyLineItem).nullish(),
  fulfillments: z.array(ShopifyFulfillment).nullish(),
  refunds: z.array(ShopifyRefund).nullish(),
});
export type ShopifyOrder = z.infer<typeof ShopifyOrder>;

const ShopifyReturnLineItem = z.looseObject({
  quantity: z.number().int().nullish(),
  return_reason: Text,
  return_reason_note: Text,
  customer_note: Text,
  fulfillment_line_item: z.looseObject({ line_item: z.looseObject({ id: IdString }).nullish() }).nullish(),
});

/**
 * The body of returns/request, returns/approve, returns/decline, returns/close, returns/cancel and
 * returns/reopen. The order is `order: {id}` in some of them and `order_id` in others.
 */
export const ShopifyReturn = z.looseObject({
  id: IdString,
  admin_graphql_api_id: Text,
  /** requested, open, declined, closed, canceled. */
  status: Text,
  name: Text,
  order: z.looseObject({ id: IdString.nullish(), admin_graphql_api_id: Text }).nullish(),
  order_id: IdString.nullish(),
  return_line_items: z.array(ShopifyReturnLineItem).nullish(),
  decline: z.looseObject({ reason: Text, note: Text }).nullish(),
});
export type ShopifyReturn = z.infer<typeof ShopifyReturn>;
