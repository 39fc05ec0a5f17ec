import * as z from 'zod';
import {
  CaseActionBodies,
  DryRunRequest,
  ReturnRequest,
  ReturnShipmentBody,
  SettingsChange,
  SmsReplyBody,
  StaffCaseRequest,
  TemplatePreviewRequest,
} from '../../schemas/api.ts';
import { DryRunReport } from '../../schemas/policy.ts';
import {
  CaseDetailView,
  CaseListView,
  CustomerCaseView,
  CustomerListView,
  DeadLetterView,
  InboxListView,
  IntakeView,
  NoticeLogView,
  OrderDetailView,
  OrderListView,
  PagesConfigView,
  PortalOrderView,
  PortalShopView,
  RedriveView,
  ReplayView,
  SettingsView,
  ShipmentDetailView,
  SummaryView,
  TemplateListView,
  TemplatePreviewView,
} from '../../schemas/views.ts';

/*
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate the requests and
 * shape the responses: what a route answers is what this document says, and the tests check the
 * real responses against it (test/integration/openapi.test.ts).
 */

export const ErrorView = z
  .object({
    error: z
      .object({
        code: z.string(),
        message: z.string(),
        details: z.unknown().optional(),
        correlationId: z.string().optional(),
      })
      .strict(),
  })
  .strict();

type Security = 'staff' | 'case' | 'webhook' | 'none';

export interface Operation {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  summary: string;
  security: Security;
  /** Query parameters (name → description), all strings on the wire. */
  query?: Record<string, string>;
  body?: z.ZodType;
  /** The success status and its view (undefined: any JSON); `also`: other success statuses with the same view. */
  ok: { status: number; view?: z.ZodType; also?: number[] };
  /** Other statuses this route answers with the error view. */
  errors: number[];
}

const STAFF_ERRORS = [400, 401, 403, 404, 409];

export const operations: Operation[] = [
  { method: 'GET', path: '/health', summary: 'Liveness', security: 'none', ok: { status: 200 }, errors: [] },
  {
    method: 'POST',
    path: '/webhooks/{provider}/{shopId}',
    summary: "A provider's signed webhook: stored, queued, answered in the provider's format",
    security: 'webhook',
    ok: { status: 202 },
    errors: [401, 404, 413],
  },
  {
    method: 'GET',
    path: '/admin/orders',
    summary: 'Orders by display number',
    security: 'staff',
    query: { number: 'the display number, with or without #' },
    ok: { status: 200, view: OrderListView },
    errors: STAFF_ERRORS,
  },
  {
    method: 'GET',
    path: '/admin/orders/{orderId}',
    summary: "One order by the marketplace's id",
    security: 'staff',
    query: { provider: 'the marketplace, when two share the id' },
    ok: { status: 200, view: OrderDetailView },
    errors: STAFF_ERRORS,
  },
  {
    method: 'GET',
    path: '/admin/shipments',
    summary: 'A shipment by tracking number',
    security: 'staff',
    query: { trackingNumber: 'the tracking number' },
    ok: { status: 200, view: ShipmentDetailView },
    errors: STAFF_ERRORS,
  },
  {
    method: 'GET',
    path: '/admin/shipments/{shipmentId}',
    summary: 'A shipment by tracking number',
    security: 'staff',
    ok: { status: 200, view: ShipmentDetailView },
    errors: STAFF_ERRORS,
  },
  {
    method: 'GET',
    path: '/admin/customers',
    summary: 'Customers by email or phone (shown masked)',
    security: 'staff',
    query: { email: 'an email address', phone: 'a phone number' },
    ok: { status: 200, view: CustomerListView },
    errors: STAFF_ERRORS,
  },
  {
    method: 'GET',
    path: '/admin/inbox',
    summary: "The shop's inbox items in one status, newest first",
    security: 'staff',
    query: {
      status: 'received | processed | ignored | failed',
      limit: '1-100',
      cursor: 'the previous page’s next',
    },
    ok: { status: 200, view: InboxListView },
    errors: STAFF_ERRORS,
  },
  {
    method: 'POST',
    path: '/admin/inbox/{inboxId}/replay',
    summary: 'Process an inbox item again',
    security: 'staff',
    ok: { status: 200, view: ReplayView },
    errors: STAFF_ERRORS,
  },
  {
    method: 'GET',
    path: '/admin/cases',
    summary: 'The staff queue: cases in one status, oldest first',
    security: 'staff',
    query: {
      status: 'a case status (default pending_review)',
      type: 'a case type',
      reason: 'a return reason on one of its lines',
      assignee: 'who it is assigned to',
      sla: '`breached`: only cases that missed a service level',
      olderThanHours: 'only cases requested longer ago than this',
      limit: '1-100',
      cursor: 'the previous page’s next',
    },
    ok: { status: 200, view: CaseListView },
    errors: STAFF_ERRORS,
  },
  {
    method: 'POST',
    path: '/admin/cases',
    summary: 'A clerk opens a case',
    security: 'staff',
    body: StaffCaseRequest,
    ok: { status: 201, view: CaseDetailView },
    errors: [...STAFF_ERRORS, 422],
  },
  {
    method: 'GET',
    path: '/admin/cases/{caseId}',
    summary: 'A case with its notices, parcels and outbound events',
    security: 'staff',
    ok: { status: 200, view: CaseDetailView },
    errors: STAFF_ERRORS,
  },
  {
    method: 'POST',
    path: '/admin/cases/{caseId}/{action}',
    summary: `A decision on a case: ${Object.keys(CaseActionBodies).join(', ')} (the body of each is the action's)`,
    security: 'staff',
    body: z.union(Object.values(CaseActionBodies) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]),
    ok: { status: 200, view: CaseDetailView },
    errors: [...STAFF_ERRORS, 422],
  },
  {
    method: 'GET',
    path: '/admin/policy',
    summary: "The shop's current policy",
    security: 'staff',
    ok: { status: 200 },
    errors: STAFF_ERRORS,
  },
  {
    method: 'PUT',
    path: '/admin/policy',
    summary: 'Publish the next version of the policy (managers)',
    security: 'staff',
    body: z.record(z.string(), z.unknown()),
    ok: { status: 200, view: z.object({ version: z.number().int() }).strict() },
    errors: STAFF_ERRORS,
  },
  {
    method: 'POST',
    path: '/admin/policy/dry-run',
    summary: "A draft policy evaluated against the shop's recent cases",
    security: 'staff',
    body: DryRunRequest,
    ok: { status: 200, view: DryRunReport },
    errors: STAFF_ERRORS,
  },
  {
    method: 'GET',
    path: '/admin/summary',
    summary: 'How after-sale is going, for a period',
    security: 'staff',
    query: { from: 'ISO date-time (default 30 days ago)', to: 'ISO date-time (default now)' },
    ok: { status: 200, view: SummaryView },
    errors: STAFF_ERRORS,
  },
  {
    method: 'GET',
    path: '/admin/notices',
    summary: "The shop's notice log, newest first",
    security: 'staff',
    query: { limit: '1-100', cursor: 'the previous page’s next' },
    ok: { status: 200, view: NoticeLogView },
    errors: STAFF_ERRORS,
  },
  {
    method: 'GET',
    path: '/admin/dlq',
    summary: 'What waits in the dead-letter queues',
    security: 'staff',
    ok: { status: 200, view: DeadLetterView },
    errors: STAFF_ERRORS,
  },
  {
    method: 'POST',
    path: '/admin/dlq/{queue}/redrive',
    summary: "Move a DLQ's messages back to their queue (managers)",
    security: 'staff',
    ok: { status: 200, view: RedriveView },
    errors: STAFF_ERRORS,
  },
  {
    method: 'GET',
    path: '/admin/settings',
    summary: "The shop's settings",
    security: 'staff',
    ok: { status: 200, view: SettingsView },
    errors: STAFF_ERRORS,
  },
  {
    method: 'PUT',
    path: '/admin/settings',
    summary: "Change the shop's settings (managers)",
    security: 'staff',
    body: SettingsChange,
    ok: { status: 200, view: SettingsView },
    errors: STAFF_ERRORS,
  },
  {
    method: 'GET',
    path: '/admin/templates',
    summary: "Every template: its variables, the built-in text and the shop's own",
    security: 'staff',
    ok: { status: 200, view: TemplateListView },
    errors: STAFF_ERRORS,
  },
  {
    method: 'POST',
    path: '/admin/templates/{templateId}/preview',
    summary: 'A draft template rendered with example values, or the problems that stop it being saved',
    security: 'staff',
    body: TemplatePreviewRequest,
    ok: { status: 200, view: TemplatePreviewView },
    errors: STAFF_ERRORS,
  },
  {
    method: 'POST',
    path: '/returns',
    summary:
      'A customer files a return, exchange, refund-only, repair or complaint (200: the same request again)',
    security: 'none',
    body: ReturnRequest,
    ok: { status: 201, view: IntakeView, also: [200] },
    errors: [400, 404, 422, 429],
  },
  {
    method: 'GET',
    path: '/returns/{caseId}',
    summary: 'A case as its customer sees it',
    security: 'case',
    ok: { status: 200, view: CustomerCaseView },
    errors: [401, 404, 429],
  },
  {
    method: 'POST',
    path: '/returns/{caseId}/shipment',
    summary: 'The customer registers the return parcel',
    security: 'case',
    body: ReturnShipmentBody,
    ok: { status: 200, view: CustomerCaseView },
    errors: [400, 401, 409, 429],
  },
  {
    method: 'POST',
    path: '/returns/{caseId}/cancel',
    summary: 'The customer withdraws the case while nothing has shipped',
    security: 'case',
    ok: { status: 200, view: CustomerCaseView },
    errors: [401, 409, 429],
  },
  {
    method: 'GET',
    path: '/unsubscribe/{token}',
    summary: "An unsubscribe link's page (HTML): what it stops, and the button that does it",
    security: 'none',
    ok: { status: 200 },
    errors: [401, 429],
  },
  {
    method: 'POST',
    path: '/unsubscribe/{token}',
    summary:
      "Stops marketing to the customer on the link's channel, at once (RFC 8058 one-click: `List-Unsubscribe=One-Click`); order, parcel and case updates still go (HTML)",
    security: 'none',
    ok: { status: 200 },
    errors: [401, 429],
  },
  {
    method: 'POST',
    path: '/sms/replies/{shopId}',
    summary:
      "A reply to the shop's SMS from its gateway, signed with the webhook channel's secret: 回TD退订 / STOP opts the sender out of marketing SMS at once, START back in",
    security: 'webhook',
    body: SmsReplyBody,
    ok: {
      status: 200,
      view: z
        .object({ meaning: z.enum(['opt_out', 'opt_in', 'other']), customers: z.number().int() })
        .strict(),
    },
    errors: [400, 401, 404, 413, 429],
  },
  {
    method: 'GET',
    path: '/portal/{shopId}/shop',
    summary: 'What the portal offers: the case types and reasons of the policy',
    security: 'none',
    ok: { status: 200, view: PortalShopView },
    errors: [404, 429],
  },
  {
    method: 'POST',
    path: '/portal/{shopId}/lookup',
    summary: 'The customer finds their order with its number and their email or phone',
    security: 'none',
    body: z.object({ orderNumber: z.string(), email: z.string().optional(), phone: z.string().optional() }),
    ok: { status: 200, view: PortalOrderView },
    errors: [400, 404, 429],
  },
  {
    method: 'GET',
    path: '/admin',
    summary: 'The staff admin page (HTML)',
    security: 'none',
    ok: { status: 200 },
    errors: [],
  },
  {
    method: 'GET',
    path: '/portal/{shopId}',
    summary: 'The customer portal (HTML)',
    security: 'none',
    ok: { status: 200 },
    errors: [],
  },
  {
    method: 'GET',
    path: '/assets/{file}',
    summary: "The pages' files",
    security: 'none',
    ok: { status: 200 },
    errors: [404],
  },
  {
    method: 'GET',
    path: '/pages/config.json',
    summary: 'How the admin page signs staff in',
    security: 'none',
    ok: { status: 200, view: PagesConfigView },
    errors: [],
  },
  {
    method: 'GET',
    path: '/openapi.json',
    summary: 'This document',
    security: 'none',
    ok: { status: 200 },
    errors: [],
  },
];

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });

/** The document: one path item per route, bodies and views as JSON Schema 2020-12 (OpenAPI 3.1). */
export function openapiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const security: Record<Security, unknown[]> = {
    staff: [{ staffJwt: [] }],
    case: [{ caseToken: [] }],
    webhook: [{ providerSignature: [] }],
    none: [],
  };
  for (const op of operations) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const query = Object.entries(op.query ?? {}).map(([name, description]) => ({
      name,
      in: 'query',
      required: false,
      description,
      schema: { type: 'string' },
    }));
    const responses: Record<string, unknown> = {};
    for (const status of [op.ok.status, ...(op.ok.also ?? [])]) {
      responses[String(status)] = {
        description: 'OK',
        ...(op.ok.view && { content: { 'application/json': { schema: jsonSchema(op.ok.view, 'output') } } }),
      };
    }
    for (const status of op.errors) {
      responses[String(status)] = {
        description: 'an error: its code says which',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    paths[op.path] ??= {};
    paths[op.path]![op.method.toLowerCase()] = {
      summary: op.summary,
      security: security[op.security],
      ...(params.length + query.length && { parameters: [...params, ...query] }),
      ...(op.body && {
        requestBody: {
          required: true,
          content: { 'application/json': { schema: jsonSchema(op.body, 'input') } },
        },
      }),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'aftersale',
      version: '1',
      description:
        'Webhooks in; orders, shipments and after-sale cases out. Generated from the zod schemas the API validates with.',
    },
    paths,
    components: {
      schemas: { Error: jsonSchema(ErrorView, 'output') },
      securitySchemes: {
        staffJwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'a staff token of one shop',
        },
        caseToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'the token POST /returns gave for this case',
        },
        providerSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'x-aftersale-signature',
          description: "the provider's HMAC of the body",
        },
      },
    },
  };
}
