import * as z from 'zod';
import { Stamp } from './common.ts';
import { CaseActor, CasePolicyRecord, CaseRequestLine } from './events.ts';
import { CaseStatus, CaseType } from './names.ts';
import { Resolution } from './policy-io.ts';

/** One entry of a case's audit trail: who did what, when, from which status to which, and why. */
export const CaseDecision = z.object({
  at: z.string(),
  /** The change (`open`, `approve`, `receive`...), `requested` (a system or marketplace request), `marketplace_update`. */
  action: z.string(),
  /** `system`, `customer`, `marketplace`, a carrier, the shop's system, or a staff member's subject id. */
  by: z.string(),
  /** The status the case moved to, when the entry moved it. */
  status: CaseStatus.optional(),
  from: CaseStatus.optional(),
  note: z.string().optional(),
  /** Set on decisions taken under the policy: which version and rule decided. */
  policyVersion: z.number().int().optional(),
  rule: z.string().optional(),
  reasonCode: z.string().optional(),
  /** The event that recorded it (the trail is a set of events, so a replay adds nothing). */
  eventId: z.string().optional(),
});
export type CaseDecision = z.infer<typeof CaseDecision>;

export const CaseLine = z.object({
  lineId: z.string(),
  quantity: z.number().int().positive(),
  reason: z.string().optional(),
  note: z.string().optional(),
  exchangeFor: z.object({ variantId: z.string(), sku: z.string().optional() }).optional(),
});
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

export const CaseParcel = z.object({
  shipmentId: z.string(),
  trackingNumber: z.string(),
  carrier: z.string().optional(),
  registeredAt: z.string(),
  /** First carrier scan (return parcels) or shipping time (replacements). */
  scannedAt: z.string().optional(),
  deliveredAt: z.string().optional(),
});
export type CaseParcel = z.infer<typeof CaseParcel>;

export const CaseRefund = z.object({
  at: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  method: Resolution.optional(),
  reference: z.string(),
  by: z.string(),
});

/**
 * The Case aggregate (pk `SHOP#{shopId}#CASE#{caseId}`): the one home of after-sale state, for
 * every type (refund_only, return_refund, exchange, reship, repair, complaint). Opened by a
 * customer or a clerk (CaseChanged `open`), by the system for a parcel problem (CaseRequested) or
 * by a marketplace request (AfterSaleRequested); moved by staff and customer decisions
 * (core/cases/decide-case.ts, through the transition table in core/cases/transitions.ts) and by
 * facts (return parcel scans, timers, the shop's refund). `version` belongs to the store.
 */
export const Case = z.object({
  caseId: z.string(),
  /** What staff and customers call it: `RMA-` and the first characters of the id. */
  number: z.string().optional(),
  type: CaseType,
  /** Where the case stands: for a marketplace case the further of our own status and the marketplace's. */
  status: CaseStatus,
  /** A marketplace case's status by our own decisions alone (the transition table moves it). */
  ownStatus: CaseStatus.optional(),
  origin: z.enum(['customer', 'marketplace', 'system', 'staff']),
  reason: z.string().optional(),
  reasonCode: z.string().optional(),
  orderId: z.string().optional(),
  orderProvider: z.string().optional(),
  customerId: z.string().optional(),
  shipmentId: z.string().optional(),
  /** What the shop offers (a reship or refund for a lost or stalled parcel); staff still approve it. */
  proposedRemedy: z.enum(['none', 'reship', 'refund']),
  /** The earliest time anyone reported the request. */
  requestedAt: z.string(),
  lines: z.array(CaseLine).default([]),
  /** The reasons of its lines, for the queue's filter. */
  reasons: z.array(z.string()).optional(),
  resolution: Resolution.optional(),
  photos: z.array(z.string()).optional(),
  /** The amount asked for, minor units, in `currency`. */
  amount: z.number().int().optional(),
  currency: z.string().optional(),
  /** The policy's decision at intake, with its trace and the terms that apply. */
  policy: CasePolicyRecord.optional(),
  marketplace: MarketplaceRequest.optional(),
  approvedAt: z.string().optional(),
  /** The last day the customer may ship the return (approved return types). */
  returnBy: z.string().optional(),
  returnParcel: CaseParcel.optional(),
  receivedAt: z.string().optional(),
  inspection: z
    .object({
      at: z.string(),
      passed: z.boolean(),
      note: z.string().optional(),
      photos: z.array(z.string()).optional(),
      refundAmount: z.number().int().optional(),
      by: z.string(),
    })
    .optional(),
  refunds: z.array(CaseRefund).default([]),
  refundedTotal: z.number().int().default(0),
  /** By when the shop must refund (receipt + the policy's refund days). */
  refundDueBy: z.string().optional(),
  replacement: CaseParcel.optional(),
  /** The complaint's step (acknowledge → investigate → propose → agree → follow up). */
  complaintStep: z.enum(['acknowledged', 'investigating', 'proposed', 'agreed', 'following_up']).optional(),
  firstResponseDueBy: z.string().optional(),
  respondedAt: z.string().optional(),
  /** Service levels missed: the refund after receipt, the first response to a complaint. */
  slaBreaches: z
    .array(z.object({ sla: z.enum(['refund_due', 'first_response']), at: z.string() }))
    .default([]),
  assignee: z.string().optional(),
  /** Internal notes: staff only, never shown to the customer. */
  notes: z
    .array(z.object({ at: z.string(), by: z.string(), text: z.string(), eventId: z.string() }))
    .default([]),
  closedAt: z.string().optional(),
  /** Register stamps (see functions/core/registers.ts). */
  stamps: z.record(z.string(), Stamp).default({}),
  decisionTrail: z.array(CaseDecision),
  version: z.number().int().nonnegative().optional(),
});
export type Case = z.infer<typeof Case>;

export { CaseActor, CaseRequestLine };
