import * as z from 'zod';

/*
 * Bounds. Every id, number, text and date that reaches a key, an index or a calendar is bounded
 * here, at the edge, so a signed but absurd payload is refused as unparseable (its inbox item
 * `failed`, with the reason) instead of failing deep inside DynamoDB or date arithmetic on every
 * retry. The limits are generous next to what real providers send (docs/decisions.md, "Bounds"):
 * DynamoDB allows 2 KB partition keys and 1 KB sort and index keys; the longest ids seen are
 * Shopify GIDs (~45 characters) and the longest tracking numbers USPS IMpb (34).
 */
export const bounds = {
  /** Marketplace and provider ids: order, line, product, refund, fulfillment, customer. */
  id: 128,
  /** Display order numbers (`#1001`, `WC-727`), indexed for lookup. */
  orderNumber: 64,
  /** Tracking numbers, which key shipments. */
  trackingNumber: 64,
  /** Event ids (ours are 32 hex characters; generic senders may use up to 200). */
  eventId: 200,
  /** Codes, carriers, status words, names and other one-line values. */
  shortText: 200,
  /** Titles, messages, reasons, notes, address lines. */
  text: 2000,
  /** Lines of an order, checkpoints of one tracking report. */
  listItems: 500,
  /** Instants from 1970 up to (not including) 2100. */
  earliest: Date.UTC(1970, 0, 1),
  latest: Date.UTC(2100, 0, 1),
} as const;

/** A one-line value: codes, status words, carriers, names. */
export const ShortText = z.string().max(bounds.shortText);
/** Free text: titles, checkpoint messages, reasons, notes. */
export const Text = z.string().max(bounds.text);

/**
 * An identifier that must stay a string end to end. Marketplace ids exceed 2^53 (Shopify order ids,
 * Taobao tids), so raw JSON is parsed with `parseJsonSafe`, which hands unsafe integers over as
 * strings; small numeric ids arrive as numbers and are turned into strings here.
 */
export const IdString = z
  .union([z.string().min(1).max(bounds.id), z.number().int().nonnegative(), z.bigint().nonnegative()])
  .transform((v) => String(v))
  .refine((v) => v.length <= bounds.id, `at most ${bounds.id} characters`);

/**
 * A tracking number: letters and digits, then also `-`, `_` or `.` (JD's `JDV0001234-1-1-`),
 * as every carrier we connect writes them. It keys shipments and reaches staff screens, exports
 * and carriers' registrations, so anything else (control characters, NUL, `#`, `/`, bidi
 * overrides, look-alike letters) is refused here, at the edge (found by `npm run fuzz:security`).
 * What a customer types is tidied first: full-width characters become ASCII (NFKC: `ＳＦ１２３`
 * is `SF123`) and spaces are dropped (`SF 1234 5678`), so the same parcel is the same key.
 */
export const TrackingNumber = z
  .string()
  .min(1)
  .describe(
    `Letters and digits, then also - _ or .; at most ${bounds.trackingNumber} once full-width characters are made ASCII and spaces dropped`,
  )
  .transform((v) => v.normalize('NFKC').replace(/\s+/g, ''))
  .pipe(
    z
      .string()
      .min(1, 'a tracking number has letters or digits')
      .max(bounds.trackingNumber, `a tracking number has at most ${bounds.trackingNumber} characters`)
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
        'a tracking number is letters and digits, and - _ or . after the first',
      ),
  );

export const OrderNumber = z.string().min(1).max(bounds.orderNumber);

/** Money in integer minor units (cents, fen). Never a float; safe integers only. */
export const MinorUnits = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);

/** ISO 4217 currency code, upper case. */
export const Currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/)
  .transform((c) => c.toUpperCase());

/** A UTC instant in ISO 8601 (`2026-11-23T02:32:00.000Z`). Offsets are accepted and normalised. */
export const IsoInstant = z
  .string()
  .max(40)
  // A zone-less time would be read in the machine's zone: every instant names its zone.
  .regex(/(?:Z|[+-]\d{2}(?::?\d{2})?)$/i, 'must name its zone (Z or an offset such as +08:00)')
  .refine((s) => {
    const ms = Date.parse(s);
    return ms >= bounds.earliest && ms < bounds.latest;
  }, 'must be an ISO 8601 date-time between 1970 and 2100')
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

/**
 * A register's stamp: when the value was true (the provider's time) and a key derived from the
 * value itself, which breaks ties (see functions/core/registers.ts).
 */
export const Stamp = z.object({ at: z.string(), key: z.string() });
export type Stamp = z.infer<typeof Stamp>;

/** Hosts plain http may name: this machine only, for a receiver under test (`npm start`). */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A URL we POST to (the shop's systems, its SMS gateway, a chat bot): absolute, https (plain http
 * only to this machine), no #fragment; `credentials: false` also refuses a user name or password in it.
 */
export function endpointUrl(example: string, options: { credentials?: boolean } = {}) {
  return z
    .string()
    .max(1000)
    .superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be an absolute URL such as ${example}` });
        return;
      }
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
        ctx.addIssue({
          code: 'custom',
          message: 'must be https (plain http only to 127.0.0.1 or localhost)',
        });
      if (options.credentials === false && (url.username || url.password))
        ctx.addIssue({ code: 'custom', message: 'must not carry a user name or password' });
      if (url.hash) ctx.addIssue({ code: 'custom', message: 'must not have a #fragment' });
    });
}
