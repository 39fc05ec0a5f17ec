import * as z from 'zod';
import {
  ChannelSettings,
  EmailChannelSettings,
  SmsChannelSettings,
  StaffAlertTarget,
  WebhookChannelSettings,
} from './channels.ts';
import { endpointUrl, ShopId } from './common.ts';
import { Address } from './events.ts';
import { Locale, TemplateOverride } from './notifications.ts';

const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour');
export const Segment = z.enum(['champions', 'loyal', 'recent', 'needs_attention', 'at_risk', 'inactive']);
export type Segment = z.infer<typeof Segment>;
/** Only customers in these RFM segments (none: everyone). */
const Segments = z.array(Segment).max(6).default([]);
const Thresholds = z
  .tuple([z.number().int().min(0), z.number().int().min(0), z.number().int().min(0), z.number().int().min(0)])
  .refine((t) => t.every((x, i) => i === 0 || x > t[i - 1]!), 'four ascending numbers');
const Program = (days: number) =>
  z
    .object({
      enabled: z.boolean().default(true),
      afterDays: z.number().int().min(1).max(3650).default(days),
      segments: Segments,
    })
    .strict();

/** How the shop reaches customers and staff, and how restrained it is (docs/notifications.md). */
const NotificationFields = z
  .object({
    email: EmailChannelSettings.prefault({}),
    sms: SmsChannelSettings.prefault({}),
    /** The shop's own gateway for SMS behind the webhook channel (Aliyun, Tencent Cloud SMS). */
    webhook: WebhookChannelSettings.optional(),
    /** Staff alerts to chat groups; each URL is the group bot's incoming webhook. */
    staffAlerts: z.array(StaffAlertTarget).max(5).default([]),
    /** Where the admin page is, for links in staff alerts (`https://.../admin`). */
    adminUrl: z.url().optional(),
    /** Where the portal is, for links in customer messages. */
    portalUrl: z.url().optional(),
    /** No SMS or marketing email inside these hours (the customer's zone, else the shop's); deferred, never dropped. */
    quietHours: z
      .object({
        start: HourMinute.default('21:00'),
        end: HourMinute.default('08:00'),
        /** Let order, parcel and case updates through at night (SMS included). */
        exemptTransactional: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /** Marketing and retention messages per customer, across channels and programs. */
    caps: z
      .object({
        perDay: z.number().int().min(0).max(50).default(1),
        perWeek: z.number().int().min(0).max(100).default(2),
      })
      .strict()
      .prefault({}),
    programs: z
      .object({
        paymentReminder: z
          .object({
            enabled: z.boolean().default(true),
            afterMinutes: z
              .number()
              .int()
              .min(5)
              .max(24 * 60)
              .default(30),
          })
          .strict()
          .prefault({}),
        checkin: Program(3).prefault({}),
        review: Program(7).prefault({}),
        winback: Program(90).prefault({}),
        birthday: z
          .object({ enabled: z.boolean().default(false), segments: Segments })
          .strict()
          .prefault({}),
        holidays: z
          .object({
            enabled: z.boolean().default(false),
            segments: Segments,
            /** `MM-DD` dates, or presets: spring_festival, mid_autumn, double_eleven, christmas. */
            dates: z
              .array(
                z
                  .object({
                    name: z.string().min(1).max(100),
                    date: z.union([
                      z.string().regex(/^\d{2}-\d{2}$/),
                      z.enum(['spring_festival', 'mid_autumn', 'double_eleven', 'christmas']),
                    ]),
                  })
                  .strict(),
              )
              .max(30)
              .default([]),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /** Where the RFM scores change: four ascending thresholds each, for scores 2 to 5 (docs/notifications.md). */
    rfm: z
      .object({
        recencyDays: Thresholds.default([30, 60, 90, 180]),
        frequency: Thresholds.default([2, 3, 5, 10]),
        /** Minor units of the customer's main currency. */
        monetary: Thresholds.default([20_000, 80_000, 200_000, 500_000]),
      })
      .strict()
      .prefault({}),
    /** Customers in these segments or with these tags get the VIP treatment (their own templates, staff alerts). */
    vip: z
      .object({
        segments: Segments,
        tags: z.array(z.string().max(100)).max(50).default([]),
      })
      .strict()
      .prefault({}),
    /** The shop's own templates: template id → locale → the parts it replaces (checked when saved). */
    // One locale may be overridden without the other (a partial record: z.record over an enum wants every key).
    templates: z.record(z.string(), z.partialRecord(Locale, TemplateOverride)).default({}),
  })
  .strict();

/**
 * What a settings change may give: any of the parts, each replacing the shop's whole part. Not
 * `.partial()`: a part left out would come back as its default and overwrite what the shop has.
 */
export const NotificationSettingsChange = z
  .object(
    Object.fromEntries(
      Object.entries(NotificationFields.shape).map(([key, field]) => [
        key,
        field instanceof z.ZodDefault || field instanceof z.ZodPrefault
          ? (field.unwrap() as z.ZodType).optional()
          : // An optional part (the gateway, a link) is cleared with null.
            (field as z.ZodType).nullable().optional(),
      ]),
    ) as { [K in keyof typeof NotificationFields.shape]: z.ZodOptional<z.ZodType> },
  )
  .strict();

export const NotificationSettings = NotificationFields.superRefine((n, ctx) => {
  // What a channel needs (a From address, an SMTP host, the gateway's URL), as the factory checks it.
  const channels = ChannelSettings.safeParse({
    email: n.email,
    sms: n.sms,
    webhook: n.webhook,
    staffAlerts: n.staffAlerts,
  });
  for (const issue of channels.error?.issues ?? [])
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
}).prefault({});
export type NotificationSettings = z.output<typeof NotificationSettings>;

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
    notifications: NotificationSettings,
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

/**
 * Where deliver-outbound POSTs the shop's events (docs/outbound.md): https, or plain http to this
 * machine for local testing. No credentials in the URL: it is shown back by `outbound show`, the
 * secret is what authenticates us.
 */
export const OutboundUrl = endpointUrl('https://erp.example.com/hooks', { credentials: false });

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
