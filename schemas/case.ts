import { z } from 'zod';
import { Stamp } from './common.ts';
import { CaseStatus, CaseType } from './names.ts';

/** One entry of a case's trail: who did what, when. Later issues add staff and customer decisions. */
export const CaseDecision = z.object({
  at: z.string(),
  action: z.enum(['requested', 'marketplace_update']),
  /** `system`, `customer`, `marketplace`, or (later) a staff member's subject id. */
  by: z.string(),
  /** The status the case moved to, when the entry moved it. */
  status: CaseStatus.optional(),
  note: z.string().optional(),
});
export type CaseDecision = z.infer<typeof CaseDecision>;

export const CaseLine = z.object({ lineId: z.string(), quantity: z.number().int().positive() });
export type CaseLine = z.infer<typeof CaseLine>;

/**
 * Where the marketplace says a request raised there stands (Shopify return, Taobao or Douyin
 * refund). Mirrored by the same register rules as everything else: the latest report wins, at one
 * instant the further status; our own decisions never overwrite it.
 */
export const MarketplaceRequest = z.object({
  provider: z.string(),
  requestId: z.string(),
  status: CaseStatus,
  /** The marketplace's own status word. */
  providerStatus: z.string().optional(),
  /** When the marketplace last reported a status. */
  updatedAt: z.string(),
  returnTrackingNumber: z.string().optional(),
  returnCarrier: z.string().optional(),
});
export type MarketplaceRequest = z.infer<typeof MarketplaceRequest>;

/**
 * The Case aggregate (pk `SHOP#{shopId}#CASE#{caseId}`): the one home of after-sale state. Opened
 * by the system for a parcel problem (CaseRequested) or by a marketplace request (AfterSaleRequested,
 * id derived from marketplace + request id); the order keeps references to its cases.
 * `version` belongs to the store.
 */
export const Case = z.object({
  caseId: z.string(),
  type: CaseType,
  status: CaseStatus,
  origin: z.enum(['customer', 'marketplace', 'system']),
  reason: z.string().optional(),
  reasonCode: z.string().optional(),
  orderId: z.string().optional(),
  orderProvider: z.string().optional(),
  shipmentId: z.string().optional(),
  /** What the shop offers (a reship or refund for a lost or stalled parcel); staff still approve it. */
  proposedRemedy: z.enum(['none', 'reship', 'refund']),
  /** The earliest time anyone reported the request. */
  requestedAt: z.string(),
  lines: z.array(CaseLine).default([]),
  /** The amount asked for, minor units, in `currency`. */
  amount: z.number().int().optional(),
  currency: z.string().optional(),
  marketplace: MarketplaceRequest.optional(),
  /** Register stamps (see functions/core/registers.ts). */
  stamps: z.record(z.string(), Stamp).default({}),
  decisionTrail: z.array(CaseDecision),
  version: z.number().int().nonnegative().optional(),
});
export type Case = z.infer<typeof Case>;
