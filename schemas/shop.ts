import { z } from 'zod';
import { ShopId } from './common.ts';
import { Address } from './events.ts';

/** A shop (tenant) as the CLI and, later, the admin API create it. Strict: we own this contract. */
export const ShopInput = z
  .object({
    shopId: ShopId,
    name: z.string().min(1).max(200).optional(),
    timezone: z
      .string()
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'must be an IANA time zone such as Asia/Shanghai')
      .default('Asia/Shanghai'),
    locale: z.enum(['zh-CN', 'en']).default('zh-CN'),
    defaultRegion: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    tracking: z
      .object({
        stallHours: z
          .number()
          .int()
          .min(1)
          .max(24 * 60)
          .default(72),
        pendingHours: z
          .number()
          .int()
          .min(1)
          .max(24 * 60)
          .default(48),
        stallRemedy: z.enum(['none', 'reship', 'refund']).default('none'),
      })
      .strict()
      .prefault({}),
    cases: z
      .object({
        staffApprovalLimit: z.number().int().nonnegative().default(50_000),
        returnAddress: Address.optional(),
        returnInstructions: z.string().max(2000).optional(),
        shipWithinDays: z.number().int().min(1).max(90).default(7),
        refundWithinDays: z.number().int().min(1).max(90).default(7),
        firstResponseHours: z
          .number()
          .int()
          .min(1)
          .max(24 * 14)
          .default(24),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type ShopInput = z.input<typeof ShopInput>;
export type Shop = z.output<typeof ShopInput>;

/** Region for phone numbers without a country code, guessed from the locale when not set. */
export function defaultRegionOf(shop: Shop): string {
  return shop.defaultRegion ?? (shop.locale === 'zh-CN' ? 'CN' : 'US');
}

/** Provider-specific connector fields: secrets are write-only, settings are plain values. */
export const ConnectorInput = z
  .object({
    secret: z.string().min(1).max(4096).optional(),
    settings: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]{0,40}$/), z.string().max(1000)).default({}),
  })
  .strict();

/** Hosts plain http may name: this machine only, for a receiver under test (`npm start`). */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Where deliver-outbound POSTs the shop's events (docs/outbound.md): https, or plain http to this
 * machine for local testing. No credentials in the URL: it is shown back by `outbound show`, the
 * secret is what authenticates us.
 */
export const OutboundUrl = z
  .string()
  .max(1000)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be an absolute URL such as https://erp.example.com/hooks',
      });
      return;
    }
    const local = url.protocol === 'http:' && LOOPBACK.has(url.hostname);
    if (url.protocol !== 'https:' && !local)
      ctx.addIssue({ code: 'custom', message: 'must be https (plain http only to 127.0.0.1 or localhost)' });
    if (url.username || url.password)
      ctx.addIssue({ code: 'custom', message: 'must not carry a user name or password' });
    if (url.hash) ctx.addIssue({ code: 'custom', message: 'must not have a #fragment' });
  });

/**
 * The shop's outbound endpoint as the CLI sets it. The secret is write-only (never shown back); a
 * new one becomes current and the previous one is kept, as for connector secrets.
 */
export const OutboundEndpointInput = z
  .object({
    url: OutboundUrl.optional(),
    secret: z.string().min(16, 'the secret needs at least 16 characters').max(4096).optional(),
  })
  .strict()
  .refine((v) => v.url !== undefined || v.secret !== undefined, 'give --url, --secret or both');
export type OutboundEndpointInput = z.infer<typeof OutboundEndpointInput>;
