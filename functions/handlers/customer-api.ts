import middy from '@middy/core';
import { z } from 'zod';
import { ReturnRequest, ReturnShipmentBody } from '../../schemas/api.ts';
import { bounds } from '../../schemas/common.ts';
import { type CaseDeps, decideOnCase, requestReturn, shopSettingsOf } from '../app/cases.ts';
import type { RateLimiter } from '../app/ports.ts';
import { customerCaseView } from '../app/views.ts';
import { signCaseToken, verifyCaseToken } from '../lib/customer-token.ts';
import { InvalidRequestError } from '../lib/errors.ts';
import { type HttpEvent, type HttpResult, httpErrors, json, jsonBody, parseWith } from '../lib/http.ts';

const CasePath = z.object({ caseId: z.string().min(1).max(bounds.shortText) });

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
      return route(event);
    });
}
