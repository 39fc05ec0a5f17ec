import { z } from 'zod';

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
  /** Per-field last-writer-wins stamps. */
  stamps: z.record(z.string(), z.object({ at: z.string(), eventId: z.string() })).default({}),
  orderIds: z.array(z.string()).default([]),
  firstOrderAt: z.string().optional(),
  lastOrderAt: z.string().optional(),
});
export type Customer = z.infer<typeof Customer>;
