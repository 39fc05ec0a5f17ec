import * as z from 'zod';
import { bounds, IdString, ProviderName, ShopId, ShortText, Text, TrackingNumber } from './common.ts';
import { CaseRequestLine } from './events.ts';
import { CaseType } from './names.ts';
import { Locale, TemplateOverride } from './notifications.ts';
import { Resolution } from './policy-io.ts';
import { NotificationSettingsChange } from './shop.ts';
import { SettingsView } from './views.ts';

/*
 * Request bodies of the customer and staff APIs. Strict: a field we do not know is a 400 naming
 * it, so a typo never silently does something else.
 */

const Marketplace = ProviderName.exclude(['system']);

const OrderRef = {
  /** The marketplace's own order id, as staff see it. */
  orderId: IdString.optional(),
  /** The display number (`#1001`), as the customer sees it. */
  orderNumber: z
    .string()
    .min(1)
    .max(bounds.orderNumber + 1)
    .optional(),
  /** Picks the marketplace when two share an order id. */
  provider: Marketplace.optional(),
};

const Lines = z.array(CaseRequestLine).min(1).max(100);
const Photos = z.array(z.url({ protocol: /^https?$/ }).max(2048)).max(10);

/** POST /returns: a customer files a return, exchange, refund-only, repair or complaint. */
export const ReturnRequest = z
  .object({
    shopId: ShopId,
    ...OrderRef,
    email: z.string().max(320).optional(),
    phone: z.string().max(64).optional(),
    type: CaseType,
    lines: Lines,
    resolution: Resolution.optional(),
    photos: Photos.optional(),
    note: Text.optional(),
  })
  .strict()
  .refine((r) => r.orderId !== undefined || r.orderNumber !== undefined, {
    message: 'give orderId or orderNumber',
    path: ['orderId'],
  })
  .refine((r) => r.email !== undefined || r.phone !== undefined, {
    message: 'give the email or phone the order was placed with',
    path: ['email'],
  });
export type ReturnRequest = z.infer<typeof ReturnRequest>;

/** POST /returns/{caseId}/shipment: the customer's return parcel. */
export const ReturnShipmentBody = z
  .object({ carrier: ShortText.optional(), trackingNumber: TrackingNumber })
  .strict();

/** POST /admin/cases: a clerk opens a case (a complaint by phone, a return agreed in chat). */
export const StaffCaseRequest = z
  .object({
    ...OrderRef,
    type: CaseType,
    lines: Lines,
    resolution: Resolution.optional(),
    photos: Photos.optional(),
    note: Text.optional(),
  })
  .strict()
  .refine((r) => r.orderId !== undefined || r.orderNumber !== undefined, {
    message: 'give orderId or orderNumber',
    path: ['orderId'],
  });

/** Every staff decision names the version it was made on (or sends it as If-Match). */
const Versioned = { version: z.number().int().nonnegative().optional() };
const Note = { note: Text.optional() };

/** The body of each POST /admin/cases/{caseId}/{action}, by action (the path's last segment). */
export const CaseActionBodies = {
  approve: z.object({ ...Versioned, ...Note }).strict(),
  reject: z.object({ ...Versioned, reasonCode: ShortText.min(1), note: Text.min(1) }).strict(),
  cancel: z.object({ ...Versioned, ...Note }).strict(),
  receive: z.object({ ...Versioned, ...Note }).strict(),
  inspect: z
    .object({
      ...Versioned,
      passed: z.boolean(),
      ...Note,
      photos: Photos.optional(),
      refundAmount: z.number().int().nonnegative().optional(),
    })
    .strict(),
  refund: z
    .object({
      ...Versioned,
      amount: z.number().int().nonnegative(),
      currency: z
        .string()
        .regex(/^[A-Za-z]{3}$/)
        .transform((c) => c.toUpperCase()),
      method: Resolution,
      reference: ShortText.min(1),
    })
    .strict(),
  'ship-replacement': z
    .object({ ...Versioned, carrier: ShortText.optional(), trackingNumber: TrackingNumber })
    .strict(),
  'register-return': z
    .object({ ...Versioned, carrier: ShortText.optional(), trackingNumber: TrackingNumber })
    .strict(),
  resolve: z.object({ ...Versioned, ...Note }).strict(),
  close: z.object({ ...Versioned, ...Note }).strict(),
  notes: z.object({ text: Text.min(1) }).strict(),
  assign: z.object({ ...Versioned, assignee: ShortText.min(1) }).strict(),
  acknowledge: z.object({ ...Versioned, ...Note }).strict(),
  investigate: z.object({ ...Versioned, ...Note }).strict(),
  propose: z.object({ ...Versioned, ...Note }).strict(),
  agree: z.object({ ...Versioned, ...Note }).strict(),
  'follow-up': z.object({ ...Versioned, ...Note }).strict(),
} as const;
export type CaseActionPath = keyof typeof CaseActionBodies;

/** POST /admin/policy/dry-run */
export const DryRunRequest = z
  .object({ policy: z.unknown(), days: z.number().int().min(1).max(365).default(30) })
  .strict();

/** PUT /admin/settings: what a manager may change, every part optional; a part given replaces the shop's. */
export const SettingsChange = SettingsView.omit({ shopId: true, notifications: true })
  .partial()
  .extend({
    tracking: SettingsView.shape.tracking.partial().optional(),
    cases: SettingsView.shape.cases.partial().optional(),
    notifications: NotificationSettingsChange.optional(),
  })
  .strict();

/** POST /admin/templates/{templateId}/preview: a draft (or, without one, what is in use) shown with example values. */
export const TemplatePreviewRequest = z
  .object({
    locale: Locale,
    /** The VIP version (`<templateId>#vip`) when no draft is given. */
    vip: z.boolean().default(false),
    override: TemplateOverride.optional(),
  })
  .strict();

/** POST /sms/replies/{shopId}: a reply to the shop's SMS, as its gateway forwards it. */
export const SmsReplyBody = z
  .object({
    /** The sender's number, E.164 or as the gateway writes it (the shop's region fills a country code). */
    from: z.string().min(3).max(40),
    text: z.string().max(1000),
    receivedAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
