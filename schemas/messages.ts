import * as z from 'zod';
import { CanonicalEvent } from './events.ts';
import { OutboundType } from './names.ts';

/**
 * Messages on the inbound queue. An inbox item travels as a reference (bodies can be 256 KiB, the
 * SQS limit, and must be read from the inbox anyway); follow-on and timer events travel whole.
 */
export const InboundMessage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('inbox'), shopId: z.string(), inboxId: z.string() }).strict(),
  z.object({ kind: z.literal('event'), shopId: z.string(), event: CanonicalEvent }).strict(),
]);
export type InboundMessage = z.infer<typeof InboundMessage>;

/** A planned customer notice (a `notify` effect) on its way to send-notification. */
export const NotificationMessage = z
  .object({
    shopId: z.string(),
    id: z.string(),
    template: z.string(),
    orderId: z.string().optional(),
    orderProvider: z.string().optional(),
    shipmentId: z.string().optional(),
    customerId: z.string().optional(),
    data: z.record(z.string(), z.unknown()),
    plannedAt: z.string(),
  })
  .strict();
export type NotificationMessage = z.infer<typeof NotificationMessage>;

/** An `outbound` effect on its way to deliver-outbound, which signs and POSTs it to the shop. */
export const OutboundMessage = z
  .object({
    shopId: z.string(),
    id: z.string(),
    type: OutboundType,
    caseId: z.string().optional(),
    data: z.record(z.string(), z.unknown()),
    plannedAt: z.string(),
  })
  .strict();
export type OutboundMessage = z.infer<typeof OutboundMessage>;
