import * as z from 'zod';
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
  locale: z.string().optional(),
  timezone: z.string().optional(),
  birthday: z.string().optional(),
  tags: z.array(z.string()).optional(),
  /** Marketing opt-outs by channel (`email`, `sms`, `all`), with when; transactional messages still go. */
  optOuts: z.record(z.string(), z.object({ at: z.string(), optedOut: z.boolean() })).default({}),
  /** What providers reported about the addresses: a bounced email is not written to again. */
  contactStatus: z
    .record(
      z.string(),
      z.object({
        status: z.enum(['bounced', 'complained', 'rejected', 'ok']),
        at: z.string(),
        detail: z.string().optional(),
      }),
    )
    .default({}),
  /** Each order's total (minor units) and currency, for the RFM monetary score. */
  orderTotals: z
    .record(z.string(), z.object({ total: z.number().int(), currency: z.string().optional() }))
    .default({}),
  /** Cases the customer opened (or a clerk opened for them), oldest first, capped. */
  cases: z.array(z.object({ caseId: z.string(), type: CaseType, at: z.string() })).default([]),
  firstOrderAt: z.string().optional(),
  lastOrderAt: z.string().optional(),
});
export type Customer = z.infer<typeof Customer>;
