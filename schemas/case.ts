import { z } from 'zod';
import { CaseStatus, CaseType } from './names.ts';

/** One entry of a case's audit trail: who did what, when. Later issues add staff decisions. */
export const CaseDecision = z.object({
  at: z.string(),
  action: z.enum(['requested']),
  /** `system`, `customer`, `marketplace`, or (later) a staff member's subject id. */
  by: z.string(),
  note: z.string().optional(),
});
export type CaseDecision = z.infer<typeof CaseDecision>;

/**
 * The Case aggregate (pk `SHOP#{shopId}#CASE#{caseId}`): something that needs a staff decision.
 * Minimal for now: created by CaseRequested in `pending_review`; the full lifecycle is a later issue.
 * `version` belongs to the store; the reducer carries it through unchanged.
 */
export const Case = z.object({
  caseId: z.string(),
  type: CaseType,
  status: CaseStatus,
  origin: z.enum(['customer', 'marketplace', 'system']),
  reason: z.string(),
  reasonCode: z.string(),
  orderId: z.string().optional(),
  orderProvider: z.string().optional(),
  shipmentId: z.string().optional(),
  /** What the shop offers (a reship or refund for a lost or stalled parcel); staff still approve it. */
  proposedRemedy: z.enum(['none', 'reship', 'refund']),
  requestedAt: z.string(),
  decisionTrail: z.array(CaseDecision),
  version: z.number().int().nonnegative().optional(),
});
export type Case = z.infer<typeof Case>;
