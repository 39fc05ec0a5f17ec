import middy from '@middy/core';
import * as z from 'zod';
import { ReturnRequest, ReturnShipmentBody, SmsReplyBody } from '../../schemas/api.ts';
import { bounds, ShopId } from '../../schemas/common.ts';
import {
  type CaseDeps,
  decideOnCase,
  RateLimitedError,
  requestReturn,
  shopSettingsOf,
} from '../app/cases.ts';
import { portalLookup, portalShop } from '../app/portal.ts';
import type { RateLimiter } from '../app/ports.ts';
import { receiveSmsReply } from '../app/sms-replies.ts';
import { unsubscribe, unsubscribeHtml, unsubscribeStatus } from '../app/unsubscribe.ts';
import { customerCaseView } from '../app/views.ts';
import { sha256 } from '../lib/crypto.ts';
import { signCaseToken, verifyCaseToken, verifyUnsubscribeToken } from '../lib/customer-token.ts';
import { InvalidRequestError } from '../lib/errors.ts';
import {
  type HttpEvent,
  type HttpResult,
  httpErrors,
  json,
  jsonBody,
  parseWith,
  rawBody,
} from '../lib/http.ts';

const TokenPath = z.object({ token: z.string().min(1).max(2000) });

/** The unsubscribe pages: no scripts, no framing, not cached. */
const html = (body: string): HttpResult => ({
  statusCode: 200,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  },
  body,
});

const CasePath = z.object({ caseId: z.string().min(1).max(bounds.shortText) });
const ShopPath = z.object({ shopId: ShopId });
const LookupBody = z
  .object({
    orderNumber: z
      .string()
      .min(1)
      .max(bounds.orderNumber + 1),
    email: z.string().max(320).optional(),
    phone: z.string().max(64).optional(),
  })
  .strict();

/** The client's address as the gateway saw it. */
const clientOf = (event: HttpEvent) => event.requestContext?.http?.sourceIp ?? 'unknown';

type Route = (event: HttpEvent) => Promise<HttpResult>;

/**
 * The customer's side of cases, public (no login): file a request, then, with the token it
 * answered, follow the case, register the return parcel, or withdraw it. The token opens that one
 * case and nothing else.
 */
export function customerApiHandler(deps: CaseDeps & { rateLimiter: RateLimiter }, tokenSecret: string) {
  /** The case the Bearer token opens: 401 for any other token, whatever case it names. */
  const authorized = async (event: HttpEvent) => {
    const { caseId } = parseWith(CasePath, event.pathParameters ?? {}, 'case id');
    return verifyCaseToken(tokenSecret, event.headers?.authorization, { caseId });
  };
  const view = async (shopId: string, caseId: string) => {
    const shop = await shopSettingsOf(deps, shopId);
    const stored = await deps.reads.getAggregate(shopId, 'case', caseId);
    if (!stored) throw new InvalidRequestError('the case is gone');
    return customerCaseView(stored, shop);
  };

  const routes: Record<string, Route> = {
    'POST /returns': async (event) => {
      const body = jsonBody(event, ReturnRequest, 'return request');
      const result = await requestReturn(deps, body, {
        address: event.requestContext?.http?.sourceIp ?? 'unknown',
      });
      const c = result.case.data;
      const decision = c.policy ?? { action: 'review' as const, rule: 'default', reasons: [] };
      return json(result.created ? 201 : 200, {
        caseId: c.caseId,
        ...(c.number && { number: c.number }),
        status: c.status,
        customerToken: await signCaseToken(tokenSecret, { shopId: body.shopId, caseId: c.caseId }),
        decision: { action: decision.action, rule: decision.rule, reasons: decision.reasons },
      });
    },
    'GET /returns/{caseId}': async (event) => {
      const { shopId, caseId } = await authorized(event);
      return json(200, await view(shopId, caseId));
    },
    'POST /returns/{caseId}/shipment': async (event) => {
      const { shopId, caseId } = await authorized(event);
      const body = jsonBody(event, ReturnShipmentBody, 'return parcel');
      await decideOnCase(
        deps,
        shopId,
        caseId,
        { action: 'register_return', ...body },
        { kind: 'customer', id: 'customer' },
      );
      return json(200, await view(shopId, caseId));
    },
    'GET /portal/{shopId}/shop': async (event) => {
      const { shopId } = parseWith(ShopPath, event.pathParameters ?? {}, 'shop id');
      return json(200, await portalShop(deps, shopId));
    },
    'POST /portal/{shopId}/lookup': async (event) => {
      const { shopId } = parseWith(ShopPath, event.pathParameters ?? {}, 'shop id');
      const body = jsonBody(event, LookupBody, 'lookup');
      return json(
        200,
        await portalLookup(deps, tokenSecret, { shopId, ...body }, { address: clientOf(event) }),
      );
    },
    // The shop's SMS gateway forwards replies: 回TD退订 / STOP opt out of marketing SMS at once.
    'POST /sms/replies/{shopId}': async (event) => {
      const { shopId } = parseWith(ShopPath, event.pathParameters ?? {}, 'shop id');
      const signature = event.headers?.['x-aftersale-signature'];
      return json(
        200,
        await receiveSmsReply(deps, shopId, rawBody(event), signature, () =>
          jsonBody(event, SmsReplyBody, 'SMS reply'),
        ),
      );
    },
    'GET /unsubscribe/{token}': async (event) => {
      const { token } = parseWith(TokenPath, event.pathParameters ?? {}, 'unsubscribe link');
      return html(
        unsubscribeHtml(await unsubscribeStatus(deps, await verifyUnsubscribeToken(tokenSecret, token))),
      );
    },
    // RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click`; the page's button posts the same.
    'POST /unsubscribe/{token}': async (event) => {
      const { token } = parseWith(TokenPath, event.pathParameters ?? {}, 'unsubscribe link');
      return html(unsubscribeHtml(await unsubscribe(deps, await verifyUnsubscribeToken(tokenSecret, token))));
    },
    'POST /returns/{caseId}/cancel': async (event) => {
      const { shopId, caseId } = await authorized(event);
      await decideOnCase(deps, shopId, caseId, { action: 'cancel' }, { kind: 'customer', id: 'customer' });
      return json(200, await view(shopId, caseId));
    },
  };

  return middy<HttpEvent, HttpResult>()
    .use(httpErrors())
    .handler(async (event) => {
      const route = routes[event.routeKey];
      if (!route) throw new InvalidRequestError(`no route ${event.routeKey}`);
      // Public routes: at most 120 requests a minute from one client, and as many for one token.
      const nowMs = Date.parse(deps.clock.now());
      const token = event.headers?.authorization;
      const ok =
        (await deps.rateLimiter.take(`public#client#${clientOf(event)}`, 120, 60, nowMs)) &&
        (!token ||
          (await deps.rateLimiter.take(`public#token#${sha256(token).slice(0, 32)}`, 120, 60, nowMs)));
      if (!ok) throw new RateLimitedError('too many requests; try again in a minute');
      return route(event);
    });
}
