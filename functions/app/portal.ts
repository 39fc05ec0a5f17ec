import { signCaseToken } from '../lib/customer-token.ts';
import {
  type CaseDeps,
  currentPolicy,
  findCustomersOrder,
  RateLimitedError,
  shopSettingsOf,
} from './cases.ts';
import type { RateLimiter } from './ports.ts';

/*
 * What the customer portal reads: what the shop offers, and the customer's own order (found with
 * its number and their email or phone), with its parcels and their cases.
 */

/** The case types the shop's policy offers, and for each reason the types and resolutions it allows. */
export async function portalShop(deps: CaseDeps, shopId: string) {
  const shop = await shopSettingsOf(deps, shopId);
  const policy = await currentPolicy(deps, shop);
  const reasons = Object.entries(policy.reasons)
    .filter(([, rule]) => rule.allowed)
    .map(([reason, rule]) => ({
      reason,
      types: rule.types.filter((t) => policy.caseTypes.includes(t)),
      resolutions: rule.resolutions,
    }))
    .filter((r) => r.types.length > 0);
  return {
    shopId: shop.shopId,
    name: shop.name,
    locale: shop.locale as 'zh-CN' | 'en',
    caseTypes: policy.caseTypes,
    reasons,
  };
}

/*
 * A customer looks up their order.
 * 1. rate limits per client address and per order number (429): a lookup proves ownership, so it
 *    must not be guessable at speed
 * 2. the order by its display number and the customer's email or phone, normalised; the same 404
 *    for a wrong contact as for no order
 * 3. its parcels (outbound and return) with their checkpoints, and its cases, each with the token
 *    that opens it (the customer just proved the order is theirs)
 */
export async function portalLookup(
  deps: CaseDeps & { rateLimiter: RateLimiter },
  tokenSecret: string,
  request: { shopId: string; orderNumber: string; email?: string | undefined; phone?: string | undefined },
  client: { address: string },
) {
  const nowMs = Date.parse(deps.clock.now());
  const shop = await shopSettingsOf(deps, request.shopId);
  const allowed =
    (await deps.rateLimiter.take(`${shop.shopId}#lookup#client#${client.address}`, 30, 3600, nowMs)) &&
    (await deps.rateLimiter.take(`${shop.shopId}#lookup#order#${request.orderNumber}`, 20, 3600, nowMs));
  if (!allowed) throw new RateLimitedError('too many lookups; try again later');
  const stored = await findCustomersOrder(deps, shop, { ...request, type: 'return_refund', lines: [] });
  const order = stored.data;
  const [shipments, cases] = await Promise.all([
    deps.reads.getAggregates(
      shop.shopId,
      'shipment',
      order.shipments.map((s) => s.shipmentId),
    ),
    deps.reads.getAggregates(shop.shopId, 'case', [
      ...(order.cases ?? []).map((c) => c.caseId),
      ...order.afterSales.map((a) => a.caseId),
    ]),
  ]);
  return {
    orderId: order.orderId,
    provider: order.provider,
    ...(order.number && { number: order.number }),
    status: order.status,
    ...(order.placedAt && { placedAt: order.placedAt }),
    ...(order.deliveredAt && { deliveredAt: order.deliveredAt }),
    ...(order.currency && { currency: order.currency }),
    lines: order.lines.map((l) => ({
      lineId: l.lineId,
      title: l.title,
      ...(l.variantTitle && { variantTitle: l.variantTitle }),
      ...(l.sku && { sku: l.sku }),
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      total: l.total,
    })),
    parcels: shipments.map(({ data: s }) => ({
      trackingNumber: s.trackingNumber,
      ...(s.carrier && { carrier: s.carrier }),
      ...(s.direction && { direction: s.direction }),
      status: s.status,
      ...(s.shippedAt && { shippedAt: s.shippedAt }),
      ...(s.expectedDelivery && { expectedDelivery: s.expectedDelivery }),
      ...(s.deliveredAt && { deliveredAt: s.deliveredAt }),
      checkpoints: s.checkpoints.map((c) => ({
        at: c.at,
        status: c.status,
        message: c.message,
        ...(c.location && { location: c.location }),
      })),
    })),
    cases: await Promise.all(
      cases.map(async ({ data: c }) => ({
        caseId: c.caseId,
        ...(c.number && { number: c.number }),
        type: c.type,
        status: c.status,
        requestedAt: c.requestedAt,
        customerToken: await signCaseToken(tokenSecret, { shopId: shop.shopId, caseId: c.caseId }, nowMs),
      })),
    ),
  };
}
