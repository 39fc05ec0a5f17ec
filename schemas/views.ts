import * as z from 'zod';
import { CaseDecision, CaseLine } from './case.ts';
import {
  Address,
  CasePolicyRecord,
  Checkpoint,
  OrderLine,
  OrderTotals,
  ShipmentDirection,
} from './events.ts';
import {
  CaseStatus,
  CaseType,
  FulfillmentState,
  OrderStatus,
  OutboundType,
  ShipmentStatus,
} from './names.ts';
import { RenderedMessage } from './notifications.ts';
import { TimelineEntry } from './order.ts';
import { NotificationSettings, Segment } from './shop.ts';

/*
 * What the admin API answers: views, not stored items. Each is strict, so a field the view does
 * not name cannot reach staff (register stamps, notice ledgers, stall history...), and every admin
 * response is parsed against its view in the tests. These schemas are what the OpenAPI document
 * is generated from.
 */

const Stored = { version: z.number().int().nonnegative(), updatedAt: z.string() };

export const CustomerRefView = z
  .object({
    customerId: z.string(),
    name: z.string().optional(),
    emailMasked: z.string().optional(),
    phoneMasked: z.string().optional(),
  })
  .strict();

export const NoticeView = z
  .object({
    id: z.string(),
    template: z.string(),
    status: z.string(),
    plannedAt: z.string(),
    recordedAt: z.string().optional(),
    orderId: z.string().optional(),
    shipmentId: z.string().optional(),
    /** The case the notice is about (case.* templates). */
    caseId: z.string().optional(),
    /** The channel it went (or was to go) by: email, sms, webhook, staff chat, outbox. */
    channel: z.string().optional(),
    /** The recipient, masked as everywhere staff see contacts. */
    to: z.string().optional(),
    locale: z.string().optional(),
    /** Why it was suppressed, deferred or failed (`quiet_hours`, `frequency_cap`, `opted_out`, ...). */
    reason: z.string().optional(),
    /** A deferred notice goes out then (the end of the customer's quiet hours). */
    deferredUntil: z.string().optional(),
    attempts: z.number().int().optional(),
    settledAt: z.string().optional(),
  })
  .strict();
export type NoticeView = z.infer<typeof NoticeView>;

export const ShipmentView = z
  .object({
    shipmentId: z.string(),
    trackingNumber: z.string(),
    carrier: z.string().optional(),
    /** Other carriers named for the same number: staff may want to check which is right. */
    carrierConflict: z.array(z.string()).optional(),
    orderId: z.string().optional(),
    orderProvider: z.string().optional(),
    direction: ShipmentDirection.optional(),
    trackingUrl: z.string().optional(),
    status: ShipmentStatus,
    subStatus: z.string().optional(),
    providerStatus: z.string().optional(),
    statusAt: z.string().optional(),
    shippedAt: z.string().optional(),
    deliveredAt: z.string().optional(),
    expectedDelivery: z.string().optional(),
    signedBy: z.string().optional(),
    deliveredTo: z.enum(['addressee', 'other_person', 'locker', 'pickup_point']).optional(),
    pickup: z.object({ point: z.string().optional(), code: z.string().optional() }).strict().optional(),
    stopped: z.object({ at: z.string(), reason: z.string() }).strict().optional(),
    stalled: z.object({ since: z.string(), reasonCode: z.string(), reason: z.string() }).strict().optional(),
    /** Checkpoints, newest first. */
    checkpoints: z.array(Checkpoint),
    lastCheckpointAt: z.string().optional(),
    ...Stored,
  })
  .strict();
export type ShipmentView = z.infer<typeof ShipmentView>;

export const CaseSummaryView = z
  .object({
    caseId: z.string(),
    number: z.string().optional(),
    type: CaseType,
    status: CaseStatus,
    origin: z.enum(['customer', 'marketplace', 'system', 'staff']),
    reasonCode: z.string().optional(),
    orderId: z.string().optional(),
    orderProvider: z.string().optional(),
    requestedAt: z.string(),
    amount: z.number().int().optional(),
    currency: z.string().optional(),
    assignee: z.string().optional(),
    /** A service level was missed (refund after receipt, first response to a complaint). */
    slaBreached: z.boolean(),
    ...Stored,
  })
  .strict();
export type CaseSummaryView = z.infer<typeof CaseSummaryView>;

const ParcelView = z
  .object({
    shipmentId: z.string(),
    trackingNumber: z.string(),
    carrier: z.string().optional(),
    registeredAt: z.string(),
    scannedAt: z.string().optional(),
    deliveredAt: z.string().optional(),
  })
  .strict();

const RefundView = z
  .object({
    at: z.string(),
    amount: z.number().int(),
    currency: z.string(),
    method: z.enum(['original_payment', 'store_credit']).optional(),
    reference: z.string(),
  })
  .strict();

export const CaseView = z
  .object({
    caseId: z.string(),
    number: z.string().optional(),
    type: CaseType,
    status: CaseStatus,
    origin: z.enum(['customer', 'marketplace', 'system', 'staff']),
    reason: z.string().optional(),
    reasonCode: z.string().optional(),
    orderId: z.string().optional(),
    orderProvider: z.string().optional(),
    customerId: z.string().optional(),
    shipmentId: z.string().optional(),
    proposedRemedy: z.enum(['none', 'reship', 'refund']),
    requestedAt: z.string(),
    lines: z.array(CaseLine.strict()),
    resolution: z.enum(['original_payment', 'store_credit']).optional(),
    photos: z.array(z.string()).optional(),
    amount: z.number().int().optional(),
    currency: z.string().optional(),
    /** The policy's decision at intake, with its trace, the version that decided and the terms. */
    policy: CasePolicyRecord.optional(),
    marketplace: z
      .object({
        provider: z.string(),
        requestId: z.string(),
        status: CaseStatus,
        providerStatus: z.string().optional(),
        updatedAt: z.string(),
        returnTrackingNumber: z.string().optional(),
        returnCarrier: z.string().optional(),
      })
      .strict()
      .optional(),
    approvedAt: z.string().optional(),
    returnBy: z.string().optional(),
    returnParcel: ParcelView.optional(),
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
      .strict()
      .optional(),
    refunds: z.array(RefundView.extend({ by: z.string() }).strict()),
    refundedTotal: z.number().int(),
    refundDueBy: z.string().optional(),
    replacement: ParcelView.optional(),
    complaintStep: z.enum(['acknowledged', 'investigating', 'proposed', 'agreed', 'following_up']).optional(),
    firstResponseDueBy: z.string().optional(),
    respondedAt: z.string().optional(),
    slaBreaches: z.array(
      z.object({ sla: z.enum(['refund_due', 'first_response']), at: z.string() }).strict(),
    ),
    assignee: z.string().optional(),
    /** Internal notes: staff only. */
    notes: z.array(z.object({ at: z.string(), by: z.string(), text: z.string() }).strict()),
    closedAt: z.string().optional(),
    decisionTrail: z.array(CaseDecision.strict()),
    /** Every change the case allows now (what the admin page offers). */
    allowedActions: z.array(z.string()),
    ...Stored,
  })
  .strict();
export type CaseView = z.infer<typeof CaseView>;

/**
 * A case as its customer sees it (GET /returns/{caseId}): where it stands, what happened, what to
 * do next. No internal notes, no policy trace, no staff names.
 */
export const CustomerCaseView = z
  .object({
    caseId: z.string(),
    number: z.string().optional(),
    type: CaseType,
    status: CaseStatus,
    requestedAt: z.string(),
    lines: z.array(CaseLine.strict()),
    resolution: z.enum(['original_payment', 'store_credit']).optional(),
    amount: z.number().int().optional(),
    currency: z.string().optional(),
    decision: z
      .object({ action: z.enum(['approve', 'review', 'reject']), reasons: z.array(z.string()) })
      .strict()
      .optional(),
    /** Where and by when to send the goods (approved return types). */
    returnInstructions: z
      .object({
        rma: z.string().optional(),
        returnBy: z.string().optional(),
        returnAddress: Address.optional(),
        instructions: z.string().optional(),
        postagePaidBy: z.enum(['buyer', 'shop']),
        mustBeIntact: z.boolean(),
      })
      .strict()
      .optional(),
    returnParcel: ParcelView.optional(),
    replacement: ParcelView.optional(),
    refunds: z.array(RefundView),
    timeline: z.array(
      z.object({ at: z.string(), status: CaseStatus.optional(), event: z.string() }).strict(),
    ),
    /** What the customer may still do: `register_return`, `cancel`. */
    actions: z.array(z.enum(['register_return', 'cancel'])),
    ...Stored,
  })
  .strict();
export type CustomerCaseView = z.infer<typeof CustomerCaseView>;

/** The answer to a return request: the case, its decision, and the token that opens it. */
export const IntakeView = z
  .object({
    caseId: z.string(),
    number: z.string().optional(),
    status: CaseStatus,
    customerToken: z.string(),
    decision: z
      .object({
        action: z.enum(['approve', 'review', 'reject']),
        rule: z.string(),
        reasons: z.array(z.string()),
      })
      .strict(),
  })
  .strict();

/** Where an event for the shop's own systems stands (docs/outbound.md). */
export const OutboundDeliveryView = z
  .object({
    id: z.string(),
    type: OutboundType,
    status: z.enum(['retrying', 'delivered', 'failed', 'not_configured']),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().optional(),
    lastError: z.string().optional(),
    occurredAt: z.string(),
    deliveredAt: z.string().optional(),
    updatedAt: z.string(),
  })
  .strict();

/** The case page: the case, its notices, its parcels (return, replacement) and its outbound events. */
export const CaseDetailView = z
  .object({
    case: CaseView,
    notices: z.array(NoticeView),
    parcels: z.array(ShipmentView),
    outbound: z.array(OutboundDeliveryView),
  })
  .strict();
export const CaseListView = z
  .object({ cases: z.array(CaseSummaryView), next: z.string().optional() })
  .strict();

export const OrderView = z
  .object({
    orderId: z.string(),
    provider: z.string(),
    placeholder: z.boolean(),
    status: OrderStatus,
    number: z.string().optional(),
    currency: z.string().optional(),
    lines: z.array(OrderLine),
    totals: OrderTotals.optional(),
    /** Whole (reships need it); its phone masked like the customer's. */
    shippingAddress: Address.optional(),
    placedAt: z.string().optional(),
    paidAt: z.string().optional(),
    cancelledAt: z.string().optional(),
    cancelReason: z.string().optional(),
    deliveredAt: z.string().optional(),
    deliveredConfirmedBy: z.enum(['carrier', 'buyer', 'marketplace']).optional(),
    fulfillment: FulfillmentState.optional(),
    providerStatus: z.string().optional(),
    note: z.string().optional(),
    customer: CustomerRefView.optional(),
    refunds: z.array(
      z
        .object({
          refundId: z.string(),
          amount: z.number().int(),
          currency: z.string(),
          reason: z.string().optional(),
          at: z.string(),
        })
        .strict(),
    ),
    refundedTotal: z.number().int(),
    shipments: z.array(
      z
        .object({
          shipmentId: z.string(),
          trackingNumber: z.string(),
          carrier: z.string().optional(),
          trackingUrl: z.string().optional(),
          direction: ShipmentDirection,
          shippedAt: z.string(),
        })
        .strict(),
    ),
    /** The order's after-sale cases (marketplace requests), by reference. */
    afterSales: z.array(
      z.object({ requestId: z.string(), caseId: z.string(), requestedAt: z.string() }).strict(),
    ),
    timeline: z.array(TimelineEntry.strict()),
    ...Stored,
  })
  .strict();
export type OrderView = z.infer<typeof OrderView>;

export const OrderDetailView = z
  .object({ order: OrderView, shipments: z.array(ShipmentView), notices: z.array(NoticeView) })
  .strict();
export type OrderDetailView = z.infer<typeof OrderDetailView>;
export const OrderListView = z.object({ orders: z.array(OrderDetailView) }).strict();

export const ShipmentDetailView = z.object({ shipment: ShipmentView, notices: z.array(NoticeView) }).strict();

export const CustomerView = z
  .object({
    customerId: z.string(),
    name: z.string().optional(),
    emailMasked: z.string().optional(),
    phoneMasked: z.string().optional(),
    acceptsMarketing: z.boolean().optional(),
    orderIds: z.array(z.string()),
    firstOrderAt: z.string().optional(),
    lastOrderAt: z.string().optional(),
    locale: z.string().optional(),
    timezone: z.string().optional(),
    tags: z.array(z.string()).optional(),
    /** Recency, frequency and monetary scores (1-5) and the segment, as of now. */
    rfm: z
      .object({
        recencyDays: z.number().int(),
        frequency: z.number().int(),
        monetary: z.number().int(),
        currency: z.string().optional(),
        r: z.number().int(),
        f: z.number().int(),
        m: z.number().int(),
        segment: Segment,
      })
      .strict()
      .optional(),
    vip: z.boolean(),
    /** Marketing opt-outs by channel (`email`, `sms`, `all`); transactional messages still go. */
    optOuts: z.record(z.string(), z.object({ at: z.string(), optedOut: z.boolean() }).strict()),
    /** What providers reported of each address (bounced, complained, rejected, ok). */
    contactStatus: z.record(
      z.string(),
      z.object({ status: z.string(), at: z.string(), detail: z.string().optional() }).strict(),
    ),
  })
  .strict();
export const CustomerListView = z.object({ customers: z.array(CustomerView) }).strict();

export const InboxItemView = z
  .object({
    inboxId: z.string(),
    provider: z.string(),
    topic: z.string().optional(),
    status: z.enum(['received', 'processed', 'ignored', 'failed']),
    receivedAt: z.string(),
    updatedAt: z.string(),
    attempts: z.number().int(),
    error: z.string().optional(),
    bytes: z.number().int().optional(),
  })
  .strict();
export const InboxListView = z
  .object({ items: z.array(InboxItemView), next: z.string().optional() })
  .strict();

const Count = z.number().int().nonnegative();

/** GET /admin/summary?from=&to=: how after-sale is going, for a period. */
export const SummaryView = z
  .object({
    from: z.string(),
    to: z.string(),
    /** Cases open now, by status and by how long they have waited. */
    open: z
      .object({
        total: Count,
        byStatus: z.record(z.string(), Count),
        byAge: z.object({ under1d: Count, from1to3d: Count, from3to7d: Count, over7d: Count }).strict(),
      })
      .strict(),
    /** Cases opened in the period, by type and by origin. */
    opened: z
      .object({ total: Count, byType: z.record(z.string(), Count), byOrigin: z.record(z.string(), Count) })
      .strict(),
    /** Orders created in the period, and returns (goods back or refund-only) among cases opened. */
    orders: Count,
    returnRate: z.number().nullable(),
    topReasons: z.array(z.object({ reason: z.string(), count: Count }).strict()),
    /** Median hours from request to the first decision (approve or reject), over cases decided in the period. */
    medianHoursToDecision: z.number().nullable(),
    sla: z.object({ due: Count, breached: Count, compliance: z.number().nullable() }).strict(),
    /** Parcel problems the system raised cases for, by reason. */
    deliveryExceptions: z.record(z.string(), Count),
  })
  .strict();

export const NoticeLogView = z.object({ notices: z.array(NoticeView), next: z.string().optional() }).strict();

export const DeadLetterView = z
  .object({
    queues: z.array(
      z
        .object({
          queue: z.string(),
          depth: Count,
          messages: z.array(z.object({ messageId: z.string(), body: z.string() }).strict()),
        })
        .strict(),
    ),
  })
  .strict();

export const RedriveView = z.object({ queue: z.string(), moved: Count }).strict();
export const ReplayView = z
  .object({
    inboxId: z.string(),
    previous: z.enum(['received', 'processed', 'ignored', 'failed']),
    queued: z.boolean(),
  })
  .strict();

/** GET/PUT /admin/settings: the shop's settings staff may see and managers change. */
export const SettingsView = z
  .object({
    shopId: z.string(),
    name: z.string().optional(),
    timezone: z.string(),
    locale: z.enum(['zh-CN', 'en']),
    defaultRegion: z.string().optional(),
    tracking: z
      .object({ stallHours: Count, pendingHours: Count, stallRemedy: z.enum(['none', 'reship', 'refund']) })
      .strict(),
    cases: z
      .object({
        staffApprovalLimit: Count,
        returnAddress: Address.optional(),
        returnInstructions: z.string().optional(),
        shipWithinDays: Count,
        refundWithinDays: Count,
        firstResponseHours: Count,
      })
      .strict(),
    /** Channels (never their secrets), quiet hours, caps, programs, RFM, VIP and the shop's templates. */
    notifications: NotificationSettings,
  })
  .strict();

/** GET /portal/{shopId}/shop: what the portal shows before the customer signs nothing. */
export const PortalShopView = z
  .object({
    shopId: z.string(),
    name: z.string(),
    locale: z.enum(['zh-CN', 'en']),
    /** The case types the policy offers, and for each reason the types and resolutions it allows. */
    caseTypes: z.array(CaseType),
    reasons: z.array(
      z
        .object({
          reason: z.string(),
          types: z.array(CaseType),
          resolutions: z.array(z.enum(['original_payment', 'store_credit'])),
        })
        .strict(),
    ),
  })
  .strict();

/** POST /portal/{shopId}/lookup: the customer's order, found with its number and their email or phone. */
export const PortalOrderView = z
  .object({
    orderId: z.string(),
    provider: z.string(),
    number: z.string().optional(),
    status: OrderStatus,
    placedAt: z.string().optional(),
    deliveredAt: z.string().optional(),
    currency: z.string().optional(),
    lines: z.array(
      z
        .object({
          lineId: z.string(),
          title: z.string(),
          variantTitle: z.string().optional(),
          sku: z.string().optional(),
          quantity: z.number().int(),
          unitPrice: z.number().int(),
          total: z.number().int(),
        })
        .strict(),
    ),
    parcels: z.array(
      z
        .object({
          trackingNumber: z.string(),
          carrier: z.string().optional(),
          direction: ShipmentDirection.optional(),
          status: ShipmentStatus,
          shippedAt: z.string().optional(),
          expectedDelivery: z.string().optional(),
          deliveredAt: z.string().optional(),
          checkpoints: z.array(
            z
              .object({
                at: z.string(),
                status: ShipmentStatus,
                message: z.string(),
                location: z.string().optional(),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
    /** The customer's cases on the order, each with the token that opens it. */
    cases: z.array(
      z
        .object({
          caseId: z.string(),
          number: z.string().optional(),
          type: CaseType,
          status: CaseStatus,
          requestedAt: z.string(),
          customerToken: z.string(),
        })
        .strict(),
    ),
  })
  .strict();

/** GET /pages/config.json: how the admin page signs staff in here. */
export const PagesConfigView = z
  .object({
    auth: z.discriminatedUnion('mode', [
      z.object({ mode: z.literal('token') }).strict(),
      z
        .object({
          mode: z.literal('cognito'),
          region: z.string(),
          userPoolId: z.string(),
          clientId: z.string(),
        })
        .strict(),
    ]),
  })
  .strict();

const TemplateParts = z
  .object({
    email: z.object({ subject: z.string(), html: z.string(), text: z.string() }).strict().optional(),
    sms: z.string().optional(),
    chat: z.object({ title: z.string(), text: z.string() }).strict().optional(),
  })
  .strict();

/** GET /admin/templates: every template, what it may say, the built-in text and the shop's own. */
export const TemplateListView = z
  .object({
    templates: z.array(
      z
        .object({
          id: z.string(),
          kind: z.enum(['transactional', 'marketing', 'staff']),
          description: z.string(),
          channels: z.array(z.enum(['email', 'sms', 'chat'])),
          variables: z.array(
            z
              .object({
                name: z.string(),
                type: z.string(),
                description: z.string(),
                required: z.boolean(),
                example: z.object({ 'zh-CN': z.string(), en: z.string() }).strict(),
              })
              .strict(),
          ),
          builtIn: z.object({ 'zh-CN': TemplateParts, en: TemplateParts }).strict(),
          /** The shop's own parts by locale, and its VIP version. */
          override: z
            .object({ 'zh-CN': TemplateParts.optional(), en: TemplateParts.optional() })
            .strict()
            .optional(),
          vipOverride: z
            .object({ 'zh-CN': TemplateParts.optional(), en: TemplateParts.optional() })
            .strict()
            .optional(),
        })
        .strict(),
    ),
  })
  .strict();

/** A template rendered with example values, or why it cannot be saved. */
export const TemplatePreviewView = z
  .object({ problems: z.array(z.string()), message: RenderedMessage.optional() })
  .strict();
