import * as z from 'zod';
import { OutboundType } from './names.ts';

/**
 * Where an outbound event stands (docs/outbound.md):
 * - `retrying`: the endpoint was unreachable or answered 408, 429 or 5xx; SQS delivers it again
 * - `delivered`: the endpoint answered 2xx; it is never POSTed again
 * - `failed`: the endpoint refused it (another 3xx/4xx), or the last retry failed too (then the
 *   message is in the DLQ, and `aftersale dlq redrive outbound` sends it again)
 * - `not_configured`: the shop has no outbound endpoint; nothing was sent
 */
export const OutboundDeliveryStatus = z.enum(['retrying', 'delivered', 'failed', 'not_configured']);
export type OutboundDeliveryStatus = z.infer<typeof OutboundDeliveryStatus>;

/** The delivery log entry of one outbound event (one per event id). */
export const OutboundDelivery = z
  .object({
    shopId: z.string(),
    id: z.string(),
    type: OutboundType,
    caseId: z.string().optional(),
    status: OutboundDeliveryStatus,
    /** POSTs made (a `not_configured` entry made none). */
    attempts: z.number().int().nonnegative(),
    /** The HTTP status of the last answer; absent after a timeout or network error. */
    lastStatusCode: z.number().int().optional(),
    /** What went wrong last: the status with the start of the answer, or the network error. */
    lastError: z.string().optional(),
    /** When the event was planned (the body's `occurredAt`). */
    occurredAt: z.string(),
    deliveredAt: z.string().optional(),
    updatedAt: z.string(),
  })
  .strict();
export type OutboundDelivery = z.infer<typeof OutboundDelivery>;
