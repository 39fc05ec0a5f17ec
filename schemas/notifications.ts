import * as z from 'zod';

/*
 * The contract of customer notifications and staff alerts: which templates exist and what kind of
 * message each is, what the renderer produces, what a channel is given and what it answers.
 * Templates live in functions/core/notifications/, channels in functions/adapters/channels/,
 * the sending pipeline in functions/app/send-notice.ts.
 */

/**
 * - transactional: about the customer's own order, parcel or case; needs no marketing consent but
 *   respects channel preferences and (unless the shop exempts them) quiet hours;
 * - marketing: retention and greetings; needs consent, carries an unsubscribe, counts against the
 *   frequency caps, is suppressed while the customer has an open case or a recent delivery problem;
 * - staff: an alert to the shop's staff (WeCom, DingTalk, Slack), never to a customer;
 * - silent: planned for the record, never sent (covered by another notice).
 */
export const NoticeKind = z.enum(['transactional', 'marketing', 'staff', 'silent']);
export type NoticeKind = z.infer<typeof NoticeKind>;

export const TemplateId = z.enum([
  // orders
  'order.confirmed',
  'order.payment_reminder', // 催付
  'order.refunded',
  // the customer's parcel
  'shipment.shipped',
  'shipment.out_for_delivery',
  'shipment.available_for_pickup',
  'shipment.failed_attempt',
  'shipment.delivered', // with the reminder to inspect the parcel 验货
  'shipment.delivered_elsewhere', // signed for by someone else, or left in a locker
  'shipment.exception', // with an apology and the next step
  'shipment.returning',
  'shipment.returned',
  'shipment.stalled',
  // the customer's return parcel (the case's own notices speak for it)
  'return.shipped',
  'return.out_for_delivery',
  'return.available_for_pickup',
  'return.failed_attempt',
  'return.delivered',
  'return.delivered_elsewhere',
  'return.exception',
  'return.returning',
  'return.returned',
  'return.stalled',
  // cases
  'case.requested',
  'case.approved', // with the RMA number, address and deadline
  'case.rejected', // with the reason
  'case.cancelled',
  'case.return_in_transit',
  'case.return_received',
  'case.inspection_failed',
  'case.refunded',
  'case.replacement_shipped',
  'case.resolved',
  'case.closed',
  'case.acknowledged', // complaints
  'case.proposal',
  // retention
  'followup.checkin', // 跟踪使用情况, day 3 after delivery
  'followup.review', // day 7
  'winback',
  'greeting.birthday',
  'greeting.holiday',
  // staff alerts
  'staff.delivery_exception',
  'staff.sla_breach',
  'staff.case_waiting',
  'staff.vip_exception',
]);
export type TemplateId = z.infer<typeof TemplateId>;

export const Locale = z.enum(['zh-CN', 'en']);
export type Locale = z.infer<typeof Locale>;

/** What the renderer makes of a template for one customer. */
export const RenderedMessage = z
  .object({
    templateId: TemplateId,
    locale: Locale,
    email: z.object({ subject: z.string(), html: z.string(), text: z.string() }).strict().optional(),
    /** One or two segments (70 characters each for Chinese), with the shop's signature 【店铺名】. */
    sms: z.object({ text: z.string(), segments: z.number().int().positive() }).strict().optional(),
    /** For staff chat alerts (WeCom, DingTalk, Slack): a title, a text, and a link to the case. */
    chat: z.object({ title: z.string(), text: z.string(), url: z.string().optional() }).strict().optional(),
  })
  .strict();
export type RenderedMessage = z.infer<typeof RenderedMessage>;

/** A shop's own version of a template, per locale; checked when saved (unknown variables are an error). */
export const TemplateOverride = z
  .object({
    email: z
      .object({ subject: z.string().max(300), html: z.string().max(50_000), text: z.string().max(20_000) })
      .strict()
      .optional(),
    sms: z.string().max(500).optional(),
    chat: z
      .object({ title: z.string().max(200), text: z.string().max(4000) })
      .strict()
      .optional(),
  })
  .strict();
export type TemplateOverride = z.infer<typeof TemplateOverride>;

export const ChannelName = z.enum(['email', 'sms', 'webhook']);
export type ChannelName = z.infer<typeof ChannelName>;

/** One message as a channel sends it. */
export interface OutgoingMessage {
  /** The notice id: providers that dedupe get it as the idempotency key. */
  id: string;
  shopId: string;
  channel: ChannelName;
  /** An email address, an E.164 phone number, or (webhook) the customer id. */
  to: string;
  templateId: TemplateId;
  locale: Locale;
  /** The template's kind: `marketing` is promotional SMS and an email that must carry List-Unsubscribe. */
  kind?: NoticeKind;
  subject?: string;
  text: string;
  html?: string;
  /** Extra headers (email): List-Unsubscribe and List-Unsubscribe-Post for marketing (RFC 8058). */
  headers?: Record<string, string>;
}

export type SendResult =
  | { ok: true; providerMessageId?: string }
  /**
   * `permanent`: an invalid address, an unsubscribed or rejected number: never retried.
   * `recipient`: the address itself was refused (no such mailbox, a number that opted out), so the
   * customer's contact is marked and not written to again; not set when the fault is ours or the
   * shop's (no channel set up, bad credentials).
   */
  | { ok: false; permanent: boolean; reason: string; recipient?: boolean };

/** A staff alert as the chat webhooks (WeCom, DingTalk, Slack) post it. */
export interface StaffAlert {
  id: string;
  shopId: string;
  templateId: TemplateId;
  title: string;
  text: string;
  /** A link to the case page. */
  url?: string;
}
