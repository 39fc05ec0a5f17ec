import middy from '@middy/core';
import { z } from 'zod';
import { bounds, ProviderName } from '../../schemas/common.ts';
import { InboxStatus } from '../../schemas/inbox.ts';
import { CaseStatus, CaseType } from '../../schemas/names.ts';
import {
  caseDetail,
  caseQueue,
  customersByContact,
  inboxPage,
  orderById,
  ordersByNumber,
  type QueryDeps,
  shipmentDetail,
} from '../app/admin-queries.ts';
import { type AdminAuth, type AdminEvent, adminAuth } from '../lib/admin-auth.ts';
import type { AdminJwtSettings } from '../lib/config.ts';
import { InvalidRequestError } from '../lib/errors.ts';
import { type HttpResult, httpErrors, json, parseWith } from '../lib/http.ts';

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
  ...Page,
});

// Path ids within the bounds any stored id has (schemas/common.ts): longer ones are a 400, not a
// key DynamoDB refuses (500).
const OrderPath = z.object({ orderId: z.string().min(1).max(bounds.id) });
const ShipmentPath = z.object({ shipmentId: z.string().min(1).max(bounds.trackingNumber) });
const CasePath = z.object({ caseId: z.string().min(1).max(bounds.shortText) });

type Route = (deps: QueryDeps, auth: AdminAuth, event: AdminEvent) => Promise<unknown>;
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
};

/** The staff API: JWT checked, shop taken from the token, typed errors mapped to their status. */
export function adminApiHandler(deps: QueryDeps, jwt: AdminJwtSettings) {
  return middy<AdminEvent, HttpResult>()
    .use(httpErrors())
    .use(adminAuth(jwt))
    .handler(async (event) => {
      const route = routes[event.routeKey];
      if (!route) throw new InvalidRequestError(`no admin route ${event.routeKey}`);
      return json(200, await route(deps, event.auth, event));
    });
}
