import middy from '@middy/core';
import { z } from 'zod';
import type { Case } from '../schemas/case.ts';
import { bounds, ProviderName } from '../schemas/common.ts';
import type { Customer } from '../schemas/customer.ts';
import { CaseStatus, CaseType } from '../schemas/names.ts';
import type { Order } from '../schemas/order.ts';
import type { Shipment } from '../schemas/shipment.ts';
import { InboxStatus, listInbox } from './adapters/dynamo/inbox.ts';
import { loadShop, settingsOf } from './adapters/dynamo/shops.ts';
import {
  customerIdsByContact,
  getAggregate,
  getAggregates,
  listCasesByStatus,
  noticesOf,
  orderIdsByNumber,
} from './adapters/dynamo/views.ts';
import {
  caseSummaryView,
  caseView,
  customerView,
  inboxItemView,
  noticeView,
  orderView,
  shipmentView,
} from './app/views.ts';
import { contactHash, normalizeEmail, normalizePhone } from './core/customers/identity.ts';
import { orderAggregateId, shipmentIdFor } from './core/ids.ts';
import { type AdminAuth, type AdminEvent, adminAuth } from './lib/admin-auth.ts';
import { DomainError, InvalidRequestError, NotFoundError } from './lib/errors.ts';
import { type HttpResult, httpErrors, json, parseWith } from './lib/http.ts';

class AmbiguousOrderError extends DomainError {
  override readonly statusCode = 409;
  override readonly code = 'ambiguous_order';
}

/** Marketplaces an order can come from (orders are keyed `marketplace:id`). */
const MARKETPLACES = ProviderName.options.filter((p) => p !== 'system');

/**
 * The aggregate ids of the orders with this marketplace id: `?provider=` picks one marketplace,
 * else every marketplace is looked at in one batch read (ids rarely collide across them).
 */
async function findOrders(shopId: string, orderId: string, provider?: string): Promise<string[]> {
  const candidates = (provider ? [provider] : MARKETPLACES).map((p) => orderAggregateId(p, orderId));
  const found = await getAggregates<Order>(shopId, 'order', candidates);
  return found.map((o) => orderAggregateId(o.data.provider, o.data.orderId));
}

/** An order as staff see it: its view, its parcels and the notices planned for it. */
async function orderDetail(shopId: string, aggregateId: string) {
  const stored = await getAggregate<Order>(shopId, 'order', aggregateId);
  if (!stored) throw new NotFoundError(`no order ${aggregateId}`);
  const [shipments, notices] = await Promise.all([
    getAggregates<Shipment>(
      shopId,
      'shipment',
      stored.data.shipments.map((s) => s.shipmentId),
    ),
    noticesOf(shopId, 'order', aggregateId),
  ]);
  return {
    order: orderView(stored),
    shipments: shipments.map(shipmentView),
    notices: notices.map(noticeView),
  };
}

async function shipmentDetail(shopId: string, trackingNumberOrId: string) {
  const id = shipmentIdFor(trackingNumberOrId);
  const stored = await getAggregate<Shipment>(shopId, 'shipment', id);
  if (!stored) throw new NotFoundError(`no shipment with tracking number ${trackingNumberOrId}`);
  return {
    shipment: shipmentView(stored),
    notices: (await noticesOf(shopId, 'shipment', id)).map(noticeView),
  };
}

async function customersByContact(shopId: string, query: { email?: string; phone?: string }) {
  const shop = await loadShop(shopId);
  const region = shop ? settingsOf(shop.shop).defaultRegion : 'CN';
  const email = normalizeEmail(query.email);
  const phone = normalizePhone(query.phone, region);
  if (!email && !phone) throw new InvalidRequestError('give ?email= or ?phone= (a valid address or number)');
  const ids = email
    ? await customerIdsByContact(shopId, 'email', contactHash(shopId, email))
    : await customerIdsByContact(shopId, 'phone', contactHash(shopId, phone!));
  const customers = await getAggregates<Customer>(shopId, 'customer', ids);
  return { customers: customers.map((c) => customerView(c.data)) };
}

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

type Route = (auth: AdminAuth, event: AdminEvent) => Promise<unknown>;

/** Every read is scoped to the token's shop: another shop's id is simply not found (404). */
const routes: Record<string, Route> = {
  'GET /admin/orders/{orderId}': async (auth, event) => {
    const { orderId } = parseWith(OrderPath, event.pathParameters ?? {}, 'order id');
    const { provider } = parseWith(OrderIdQuery, event.queryStringParameters ?? {}, 'query');
    const found = await findOrders(auth.shopId, orderId, provider);
    if (found.length === 0) throw new NotFoundError(`no order ${orderId}`);
    if (found.length > 1) {
      throw new AmbiguousOrderError(
        `order ${orderId} exists in ${found.map((id) => id.split(':')[0]).join(' and ')}: add ?provider=`,
      );
    }
    return orderDetail(auth.shopId, found[0]!);
  },
  'GET /admin/orders': async (auth, event) => {
    const { number } = parseWith(OrderQuery, event.queryStringParameters ?? {}, 'query (give ?number=)');
    // Shopify shows "#1001"; staff may type either form.
    const candidates = number.startsWith('#') ? [number, number.slice(1)] : [number, `#${number}`];
    for (const candidate of candidates) {
      const ids = await orderIdsByNumber(auth.shopId, candidate);
      if (ids.length) return { orders: await Promise.all(ids.map((id) => orderDetail(auth.shopId, id))) };
    }
    throw new NotFoundError(`no order numbered ${number}`);
  },
  'GET /admin/shipments/{shipmentId}': (auth, event) =>
    shipmentDetail(
      auth.shopId,
      parseWith(ShipmentPath, event.pathParameters ?? {}, 'tracking number').shipmentId,
    ),
  'GET /admin/shipments': (auth, event) => {
    const { trackingNumber } = parseWith(
      ShipmentQuery,
      event.queryStringParameters ?? {},
      'query (give ?trackingNumber=)',
    );
    return shipmentDetail(auth.shopId, trackingNumber);
  },
  'GET /admin/customers': (auth, event) =>
    customersByContact(auth.shopId, parseWith(CustomerQuery, event.queryStringParameters ?? {}, 'query')),
  'GET /admin/inbox': async (auth, event) => {
    const query = parseWith(InboxQuery, event.queryStringParameters ?? {}, 'query');
    const page = await listInbox(auth.shopId, query.status, {
      limit: query.limit,
      ...(query.cursor && { cursor: query.cursor }),
    });
    return { items: page.items.map(inboxItemView), ...(page.next && { next: page.next }) };
  },
  'GET /admin/cases': async (auth, event) => {
    const query = parseWith(CaseQuery, event.queryStringParameters ?? {}, 'query');
    const page = await listCasesByStatus(auth.shopId, query.status, {
      limit: query.limit,
      ...(query.type && { type: query.type }),
      ...(query.cursor && { cursor: query.cursor }),
    });
    return { cases: page.items.map(caseSummaryView), ...(page.next && { next: page.next }) };
  },
  'GET /admin/cases/{caseId}': async (auth, event) => {
    const { caseId } = parseWith(CasePath, event.pathParameters ?? {}, 'case id');
    const stored = await getAggregate<Case>(auth.shopId, 'case', caseId);
    if (!stored) throw new NotFoundError(`no case ${caseId}`);
    return { case: caseView(stored) };
  },
};

export async function adminApi(event: AdminEvent): Promise<HttpResult> {
  const route = routes[event.routeKey];
  if (!route) throw new InvalidRequestError(`no admin route ${event.routeKey}`);
  return json(200, await route(event.auth, event));
}

export const handler = middy<AdminEvent, HttpResult>().use(httpErrors()).use(adminAuth()).handler(adminApi);
