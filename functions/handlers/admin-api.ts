import middy from '@middy/core';
import * as z from 'zod';
import {
  CaseActionBodies,
  type CaseActionPath,
  DryRunRequest,
  SettingsChange,
  StaffCaseRequest,
  TemplatePreviewRequest,
} from '../../schemas/api.ts';
import { bounds, IsoInstant, ProviderName, ShortText } from '../../schemas/common.ts';
import { InboxStatus } from '../../schemas/inbox.ts';
import { CaseStatus, CaseType } from '../../schemas/names.ts';
import { changeSettings, deadLetters, redrive, replay, showSettings } from '../app/admin-operations.ts';
import {
  caseDetail,
  caseQueue,
  customersByContact,
  inboxPage,
  noticeLog,
  orderById,
  ordersByNumber,
  type QueryDeps,
  shipmentDetail,
  summary,
} from '../app/admin-queries.ts';
import { type CaseDeps, createCaseByStaff, decideOnCase } from '../app/cases.ts';
import { dryRunPolicy, publishPolicy, showPolicy } from '../app/policy-admin.ts';
import type { AppDeps } from '../app/ports.ts';
import { listTemplates, previewTemplate } from '../app/templates-admin.ts';
import { QUEUE_NAMES } from '../contract.ts';
import type { CaseCommand } from '../core/cases/decide-case.ts';
import { type AdminAuth, type AdminEvent, adminAuth } from '../lib/admin-auth.ts';
import type { AdminJwtSettings } from '../lib/config.ts';
import { InvalidRequestError } from '../lib/errors.ts';
import { type HttpResult, httpErrors, json, jsonBody, parseWith } from '../lib/http.ts';

const MARKETPLACES = ProviderName.options.filter((p) => p !== 'system');

const OrderQuery = z.object({
  number: z
    .string()
    .min(1)
    .max(bounds.orderNumber + 1),
});
const OrderIdQuery = z.object({ provider: z.enum(MARKETPLACES as [string, ...string[]]).optional() });
const CustomerQuery = z.object({
  email: z.string().max(320).optional(),
  phone: z.string().max(40).optional(),
});
const ShipmentQuery = z.object({ trackingNumber: z.string().min(1).max(bounds.trackingNumber) });
const Page = {
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(2000).optional(),
};
const InboxQuery = z.object({ status: InboxStatus.default('failed'), ...Page });
const CaseQuery = z.object({
  status: CaseStatus.default('pending_review'),
  type: CaseType.optional(),
  reason: ShortText.optional(),
  assignee: ShortText.optional(),
  sla: z.enum(['breached']).optional(),
  olderThanHours: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 365)
    .optional(),
  ...Page,
});

// Path ids within the bounds any stored id has (schemas/common.ts): longer ones are a 400, not a
// key DynamoDB refuses (500).
const OrderPath = z.object({ orderId: z.string().min(1).max(bounds.id) });
const ShipmentPath = z.object({ shipmentId: z.string().min(1).max(bounds.trackingNumber) });
const CasePath = z.object({ caseId: z.string().min(1).max(bounds.shortText) });

export type AdminDeps = QueryDeps & CaseDeps & Pick<AppDeps, 'inbox' | 'queues' | 'deadLetters'>;
type Route = (deps: AdminDeps, auth: AdminAuth, event: AdminEvent) => Promise<unknown>;

const SummaryQuery = z.object({ from: IsoInstant.optional(), to: IsoInstant.optional() });
const QueuePath = z.object({ queue: z.enum(QUEUE_NAMES) });
const InboxPath = z.object({ inboxId: z.string().min(1).max(64) });
const TemplatePath = z.object({ templateId: z.string().min(1).max(100) });

const ActionPath = z.object({
  caseId: z.string().min(1).max(bounds.shortText),
  action: z.enum(Object.keys(CaseActionBodies) as [CaseActionPath, ...CaseActionPath[]]),
});

/** The command a staff action path and body ask for (the path says `ship-replacement`, the table `ship_replacement`). */
function commandFor(action: CaseActionPath, body: Record<string, unknown>): CaseCommand {
  const { version: _version, ...rest } = body;
  if (action === 'notes') return { action: 'note', text: String(rest.text) };
  const name = action.replace(/-/g, '_') as CaseCommand['action'];
  return { action: name, ...rest } as CaseCommand;
}

/** The version a decision was made on: the body's `version`, or an `If-Match` header. */
function versionOf(event: AdminEvent, body: Record<string, unknown>): number | undefined {
  if (typeof body.version === 'number') return body.version;
  const header = event.headers?.['if-match']?.replace(/^W\//, '').replace(/"/g, '').trim();
  if (header && /^\d+$/.test(header)) return Number(header);
  return undefined;
}
const query = (event: AdminEvent) => event.queryStringParameters ?? {};
const path = (event: AdminEvent) => event.pathParameters ?? {};

/** Each route parses its input, calls one query with the token's shop, and answers its view. */
const routes: Record<string, Route> = {
  'GET /admin/orders/{orderId}': (deps, auth, event) =>
    orderById(
      deps,
      auth.shopId,
      parseWith(OrderPath, path(event), 'order id').orderId,
      parseWith(OrderIdQuery, query(event), 'query').provider,
    ),
  'GET /admin/orders': (deps, auth, event) =>
    ordersByNumber(deps, auth.shopId, parseWith(OrderQuery, query(event), 'query (give ?number=)').number),
  'GET /admin/shipments/{shipmentId}': (deps, auth, event) =>
    shipmentDetail(deps, auth.shopId, parseWith(ShipmentPath, path(event), 'tracking number').shipmentId),
  'GET /admin/shipments': (deps, auth, event) =>
    shipmentDetail(
      deps,
      auth.shopId,
      parseWith(ShipmentQuery, query(event), 'query (give ?trackingNumber=)').trackingNumber,
    ),
  'GET /admin/customers': (deps, auth, event) =>
    customersByContact(deps, auth.shopId, parseWith(CustomerQuery, query(event), 'query')),
  'GET /admin/inbox': (deps, auth, event) =>
    inboxPage(deps, auth.shopId, parseWith(InboxQuery, query(event), 'query')),
  'GET /admin/cases': (deps, auth, event) =>
    caseQueue(deps, auth.shopId, parseWith(CaseQuery, query(event), 'query')),
  'GET /admin/cases/{caseId}': (deps, auth, event) =>
    caseDetail(deps, auth.shopId, parseWith(CasePath, path(event), 'case id').caseId),
  'POST /admin/cases': async (deps, auth, event) => {
    const body = jsonBody(event, StaffCaseRequest, 'case');
    const { case: stored } = await createCaseByStaff(deps, auth.shopId, body, auth);
    return { statusCode: 201, body: await caseDetail(deps, auth.shopId, stored.data.caseId) };
  },
  'POST /admin/cases/{caseId}/{action}': async (deps, auth, event) => {
    const { caseId, action } = parseWith(ActionPath, path(event), 'case action');
    const body = jsonBody(event, CaseActionBodies[action], action) as Record<string, unknown>;
    const version = versionOf(event, body);
    // Notes are the one change made without a version: they add to the case, they decide nothing.
    if (version === undefined && action !== 'notes') {
      throw new InvalidRequestError(
        'give the case version the decision was made on (body `version` or If-Match)',
      );
    }
    await decideOnCase(
      deps,
      auth.shopId,
      caseId,
      commandFor(action, body),
      { kind: 'staff', id: auth.sub, roles: auth.roles },
      version,
    );
    // The case page as it is now: the clerk sees what the decision did.
    return caseDetail(deps, auth.shopId, caseId);
  },
  'GET /admin/summary': (deps, auth, event) => {
    const { from, to } = parseWith(SummaryQuery, query(event), 'query');
    const now = Date.parse(deps.clock.now());
    return summary(deps, auth.shopId, {
      from: from ?? new Date(now - 30 * 86_400_000).toISOString(),
      to: to ?? new Date(now).toISOString(),
    });
  },
  'GET /admin/notices': (deps, auth, event) =>
    noticeLog(deps, auth.shopId, parseWith(z.object(Page), query(event), 'query')),
  'GET /admin/dlq': (deps, auth) => deadLetters(deps, auth, QUEUE_NAMES.slice()),
  'POST /admin/dlq/{queue}/redrive': (deps, auth, event) =>
    redrive(deps, auth, parseWith(QueuePath, path(event), 'queue').queue),
  'POST /admin/inbox/{inboxId}/replay': (deps, auth, event) =>
    replay(deps, auth, parseWith(InboxPath, path(event), 'inbox id').inboxId),
  'GET /admin/settings': (deps, auth) => showSettings(deps, auth),
  'PUT /admin/settings': (deps, auth, event) =>
    changeSettings(deps, auth, jsonBody(event, SettingsChange, 'settings') as Record<string, unknown>),
  'GET /admin/templates': (deps, auth) => listTemplates(deps, auth.shopId),
  'POST /admin/templates/{templateId}/preview': (deps, auth, event) =>
    previewTemplate(
      deps,
      auth.shopId,
      parseWith(TemplatePath, path(event), 'template').templateId,
      jsonBody(event, TemplatePreviewRequest, 'preview request'),
    ),
  'GET /admin/policy': (deps, auth) => showPolicy(deps, auth.shopId),
  'PUT /admin/policy': async (deps, auth, event) =>
    publishPolicy(deps, auth.shopId, jsonBody(event, z.unknown(), 'policy'), auth),
  'POST /admin/policy/dry-run': async (deps, auth, event) => {
    const body = jsonBody(event, DryRunRequest, 'dry-run request');
    return dryRunPolicy(deps, auth.shopId, body.policy, body.days);
  },
};

/** The staff API: JWT checked, shop taken from the token, typed errors mapped to their status. */
export function adminApiHandler(deps: AdminDeps, jwt: AdminJwtSettings) {
  return middy<AdminEvent, HttpResult>()
    .use(httpErrors())
    .use(adminAuth(jwt))
    .handler(async (event) => {
      const route = routes[event.routeKey];
      if (!route) throw new InvalidRequestError(`no admin route ${event.routeKey}`);
      const result = await route(deps, event.auth, event);
      // A route answers its body, or a status and body when it is not a plain 200.
      if (result && typeof result === 'object' && 'statusCode' in result && 'body' in result) {
        const { statusCode, body } = result as { statusCode: number; body: unknown };
        return json(statusCode, body);
      }
      return json(200, result);
    });
}
