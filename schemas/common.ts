import { z } from 'zod';

/**
 * An identifier that must stay a string end to end. Marketplace ids exceed 2^53 (Shopify order ids,
 * Taobao tids), so raw JSON is parsed with `parseJsonSafe`, which hands unsafe integers over as
 * strings; small numeric ids arrive as numbers and are turned into strings here.
 */
export const IdString = z
  .union([z.string().min(1), z.number().int().nonnegative(), z.bigint()])
  .transform((v) => String(v));

/** Money in integer minor units (cents, fen). Never a float. */
export const MinorUnits = z.number().int();

/** ISO 4217 currency code, upper case. */
export const Currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/)
  .transform((c) => c.toUpperCase());

/** A UTC instant in ISO 8601 (`2026-11-23T02:32:00.000Z`). Offsets are accepted and normalised. */
export const IsoInstant = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date-time')
  .transform((s) => new Date(s).toISOString());

export const ShopId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes, 2 to 63 characters');

export const ProviderName = z.enum([
  // 'system' marks events the core makes itself (timers, follow-ons); no webhook route accepts it.
  'system',
  'generic',
  'shopify',
  'woocommerce',
  'taobao',
  'doudian',
  'aftership',
  '17track',
  'kuaidi100',
  'easypost',
]);
export type ProviderName = z.infer<typeof ProviderName>;
