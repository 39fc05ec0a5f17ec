import { beforeAll, describe, expect, it } from 'vitest';
import { afterSaleCaseId } from '../../functions/core/ids.ts';
import { signLocalToken } from '../../infra/local/tokens.ts';
import {
  CaseDetailView,
  CaseListView,
  CustomerListView,
  InboxListView,
  OrderDetailView,
  OrderListView,
  ShipmentDetailView,
} from '../../schemas/views.ts';
import { loadSample } from '../support/requests.ts';
import { freshShop, useServices } from './env.ts';
import { admin, deliver, pump } from './pipeline.ts';

const { services, sqs } = useServices();
const secret = 'it-secret';
const ORDER = '820982911946154508';
/** Fields of stored items that are bookkeeping, never part of what staff see. */
const INTERNAL = [
  'stamps',
  'milestonesNotified',
  'casesRequested',
  'stallHistory',
  'expectedDeliveryHistory',
  'carriersSeen',
  'sources',
  'staffReasons',
  'emailHash',
  'phoneHash',
];

const internalFieldsIn = (value: unknown): string[] => {
  const found: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, inner] of Object.entries(v)) {
        if (INTERNAL.includes(k)) found.push(k);
        walk(inner);
      }
    }
  };
  walk(value);
  return found;
};

describe('admin responses are views', () => {
  let shopId: string;
  let token: string;
  beforeAll(async () => {
    shopId = await freshShop({ shopify: { secret }, aftership: { secret } });
    token = await signLocalToken('integration-test-key-integration-test-key', { shopId, role: 'staff' });
    const steps: Array<[string, string, Buffer]> = [
      ['orders/create', 'create', loadSample('shopify', 'orders-create.json')],
      ['fulfillments/create', 'fulfil', loadSample('shopify', 'fulfillments-create.json')],
      // The sample return names another order; here it is a return of the order above.
      [
        'returns/request',
        'return',
        Buffer.from(
          loadSample('shopify', 'returns-request.json').toString('utf8').replaceAll('4783296544821', ORDER),
        ),
      ],
    ];
    for (const [topic, eventId, body] of steps) {
      expect((await deliver('shopify', shopId, body, { secret, topic, eventId })).statusCode).toBe(202);
    }
    await pump(sqs, services.queueUrls);
  });

  it('shows an order, its parcels and notices, and nothing of the bookkeeping', async () => {
    const res = await admin(token, 'GET /admin/orders/{orderId}', { orderId: ORDER });
    expect(res.status).toBe(200);
    const view = OrderDetailView.parse(res.json);
    expect(view.order).toMatchObject({
      orderId: ORDER,
      provider: 'shopify',
      number: '#9999',
      version: expect.any(Number),
    });
    expect(view.shipments.length).toBeGreaterThan(0);
    expect(internalFieldsIn(res.json)).toEqual([]);
    const byNumber = await admin(token, 'GET /admin/orders', {}, { number: '9999' });
    expect(OrderListView.parse(byNumber.json).orders[0]!.order.orderId).toBe(ORDER);
  });

  it('shows a shipment without its registers and ledgers', async () => {
    const order = OrderDetailView.parse(
      (await admin(token, 'GET /admin/orders/{orderId}', { orderId: ORDER })).json,
    );
    const tracking = order.shipments[0]!.trackingNumber;
    const res = await admin(token, 'GET /admin/shipments/{shipmentId}', { shipmentId: tracking });
    expect(res.status).toBe(200);
    expect(ShipmentDetailView.parse(res.json).shipment.trackingNumber).toBe(tracking);
    expect(internalFieldsIn(res.json)).toEqual([]);
  });

  it('shows a customer masked, without contact hashes', async () => {
    const res = await admin(token, 'GET /admin/customers', {}, { email: 'jon@example.com' });
    expect(res.status).toBe(200);
    const view = CustomerListView.parse(res.json);
    expect(view.customers).toHaveLength(1);
    expect(view.customers[0]!.emailMasked).toMatch(/\*\*\*/);
    // Scored as of now from the orders it holds: one order, so frequency 1 and the lowest F score.
    expect(view.customers[0]!.rfm).toMatchObject({ frequency: 1, f: 1 });
    expect(view.customers[0]!.rfm!.segment).toMatch(/^(recent|needs_attention|at_risk|inactive)$/);
    expect(view.customers[0]!.vip).toBe(false);
    expect(internalFieldsIn(res.json)).toEqual([]);
  });

  it('puts a Shopify return request in the staff queue, tied to its order', async () => {
    const caseId = afterSaleCaseId('shopify', '123134564567890');
    const queue = await admin(token, 'GET /admin/cases', {}, { status: 'requested' });
    expect(queue.status).toBe(200);
    const list = CaseListView.parse(queue.json);
    expect(list.cases).toEqual([
      expect.objectContaining({ caseId, origin: 'marketplace', orderId: ORDER, orderProvider: 'shopify' }),
    ]);
    const detail = await admin(token, 'GET /admin/cases/{caseId}', { caseId });
    const view = CaseDetailView.parse(detail.json);
    expect(view.case.marketplace).toMatchObject({
      provider: 'shopify',
      requestId: '123134564567890',
      status: 'requested',
    });
    expect(view.case.decisionTrail[0]).toMatchObject({ action: 'requested', by: 'marketplace' });
    expect(internalFieldsIn(detail.json)).toEqual([]);
    const order = OrderDetailView.parse(
      (await admin(token, 'GET /admin/orders/{orderId}', { orderId: ORDER })).json,
    );
    expect(order.order.afterSales.map((a) => a.caseId)).toEqual([caseId]);
    expect((await admin(token, 'GET /admin/cases/{caseId}', { caseId: 'nope' })).status).toBe(404);
  });

  it('pages the staff queue oldest first with a type filter, and refuses a foreign cursor', async () => {
    const empty = await admin(token, 'GET /admin/cases', {}, { status: 'requested', type: 'exchange' });
    expect(CaseListView.parse(empty.json).cases).toEqual([]);
    const other = await freshShop();
    const otherToken = await signLocalToken('integration-test-key-integration-test-key', {
      shopId: other,
      role: 'staff',
    });
    const forged = Buffer.from(
      JSON.stringify({
        pk: `SHOP#${shopId}#CASE#x`,
        sk: 'CASE',
        casesByStatusPk: `SHOP#${shopId}#CASES#requested`,
        casesByStatusSk: 'a',
      }),
    ).toString('base64url');
    expect(
      (await admin(otherToken, 'GET /admin/cases', {}, { status: 'requested', cursor: forged })).status,
    ).toBe(400);
  });

  it('lists the inbox as views', async () => {
    const res = await admin(token, 'GET /admin/inbox', {}, { status: 'processed' });
    expect(InboxListView.parse(res.json).items.length).toBeGreaterThan(0);
  });
});
