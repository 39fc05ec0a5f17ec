import { z } from 'zod';
import { Stamp } from './common.ts';
import { CaseType } from './names.ts';

/**
 * The Customer aggregate: contact details live here and only here (raw, for sending notices);
 * everything else shows them masked. Lookups go through hashes (GSIs), never through raw values.
 */
export const Customer = z.object({
  customerId: z.string(),
  name: z.string().optional(),
  email: z.string().optional(),
  emailHash: z.string().optional(),
  phone: z.string().optional(),
  phoneHash: z.string().optional(),
  /** Marketing consent as the marketplace last reported it, with when. */
  acceptsMarketing: z.boolean().optional(),
  /** Per-field register stamps (see core/orders/registers.ts). */
  stamps: z.record(z.string(), Stamp).default({}),
  /** Each order (by its `marketplace:id`) and its earliest known time (placement, else first event). */
  orders: z.record(z.string(), z.string()).default({}),
  /** The order ids, oldest first (derived from `orders`). */
  orderIds: z.array(z.string()).default([]),
  /** Cases the customer opened (or a clerk opened for them), oldest first, capped. */
  cases: z.array(z.object({ caseId: z.string(), type: CaseType, at: z.string() })).default([]),
  firstOrderAt: z.string().optional(),
  lastOrderAt: z.string().optional(),
});
export type Customer = z.infer<typeof Customer>;
