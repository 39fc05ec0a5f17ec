import { z } from 'zod';
import { ShopId } from './common.ts';

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
