import { SignJWT } from 'jose';
import { signCaseToken } from '../../functions/lib/customer-token.ts';
import {
  EMAIL,
  type FuzzContext,
  freshClientAddress,
  ORDER,
  OTHER,
  OTHER_EMAIL,
  OTHER_ORDER,
  OTHER_TRACKING,
  OWN,
  type Probe,
  send,
  TRACKING,
} from './common.ts';

/*
 * The customer routes across tenants and cases, with real tokens used where they do not belong:
 * the first shop's token on the second shop's case and back, a case's token on another case of the
 * same shop, tokens altered after signing, signed with the admin key, or admin tokens; and order
 * lookups and return requests naming one shop's order on the other shop. Each must be refused,
 * nothing may change, and the answer must show nothing of the shop or case it was aimed at.
 * (Forged tokens on the first shop's case routes are `portal: forged case token`.)
 */

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** The token with its payload replaced and its signature kept. */
function altered(token: string, change: (payload: Record<string, unknown>) => Record<string, unknown>) {
  const [h, p, s] = token.split('.') as [string, string, string];
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  return `${h}.${b64(change(payload))}.${s}`;
}

export async function portalProbes(ctx: FuzzContext): Promise<Probe[]> {
  const { ids } = ctx;
  const day = 86_400_000;
  const now = Math.floor(Date.now() / 1000);
  const caseClaims = (shop: string, sub: string) => ({
    shop,
    scope: 'case',
    sub,
    iss: 'aftersale/customer',
    iat: now,
    exp: now + 3600,
  });
  const firstShop = [ORDER, TRACKING, EMAIL, ids.caseId, ids.customerToken];
  const secondShop = [OTHER_ORDER, OTHER_TRACKING, OTHER_EMAIL, ids.otherCaseId, ids.otherToken];
  /** Tokens tried on a case, with what the answer must not show (the case's own shop). */
  const tokensFor = async (caseId: string): Promise<Array<[string, string]>> => [
    ['the first shop’s other case’s real token', ids.secondToken],
    ['the second shop’s real token', ids.otherToken],
    ['the first shop’s real token', ids.customerToken],
    ['real token, subject changed to this case', altered(ids.secondToken, (p) => ({ ...p, sub: caseId }))],
    [
      'real token, shop and subject changed',
      altered(ids.customerToken, (p) => ({ ...p, shop: OTHER, sub: caseId })),
    ],
    ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64(caseClaims(OWN, caseId))}.`],
    [
      'signed with the admin key',
      await new SignJWT(caseClaims(OWN, caseId))
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .sign(new TextEncoder().encode(ctx.jwtKey)),
    ],
    ['the first shop’s manager token', ctx.manager],
    [
      'expired (real key)',
      await signCaseToken(ctx.customerKey, { shopId: OTHER, caseId }, Date.now() - 91 * day),
    ],
    [
      'not yet valid (real key, issued in a year)',
      await new SignJWT({ shop: OTHER, scope: 'case' })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer('aftersale/customer')
        .setSubject(caseId)
        .setIssuedAt(now + 365 * 86_400)
        .setNotBefore(now + 365 * 86_400)
        .setExpirationTime(now + 400 * 86_400)
        .sign(new TextEncoder().encode(ctx.customerKey)),
    ],
  ];
  const json = { 'content-type': 'application/json' };
  const routes = (caseId: string): Array<[string, string, Buffer | undefined]> => [
    ['GET', `/returns/${caseId}`, undefined],
    [
      'POST',
      `/returns/${caseId}/shipment`,
      Buffer.from(JSON.stringify({ carrier: 'sf-express', trackingNumber: 'SF9988776655' })),
    ],
    ['POST', `/returns/${caseId}/cancel`, Buffer.from('{}')],
  ];
  const probes: Probe[] = [];
  // The second shop's case, then the first shop's (tokens that are not its own).
  for (const [victim, caseId, shows, own] of [
    ['second shop’s case', ids.otherCaseId, secondShop, ids.otherToken],
    ['first shop’s case', ids.caseId, firstShop, ids.customerToken],
  ] as const) {
    const tokens = (await tokensFor(caseId)).filter(([, t]) => t !== own);
    for (const [method, path, body] of ctx.quick ? routes(caseId).slice(0, 1) : routes(caseId))
      for (const [label, token] of tokens)
        probes.push({
          cls: 'portal: another shop’s or case’s token',
          name: `${method} ${path.replace(caseId, '{caseId}')} on the ${victim} (${label})`,
          run: () =>
            send(
              ctx.url,
              method,
              path,
              { ...json, authorization: `Bearer ${token}` },
              body,
              freshClientAddress(),
            ),
          mustNotLeak: shows.filter((v) => v !== caseId && v !== token),
        });
  }
  // Lookups and return requests: one shop's order number and email on the other shop.
  const lookups: Array<[string, string, Record<string, string>, string[]]> = [
    [
      'second shop, the first shop’s number and email',
      OTHER,
      { orderNumber: ORDER, email: EMAIL },
      firstShop,
    ],
    [
      'second shop, its own number, the first shop’s email',
      OTHER,
      { orderNumber: OTHER_ORDER, email: EMAIL },
      secondShop,
    ],
    [
      'first shop, the second shop’s number and email',
      OWN,
      { orderNumber: OTHER_ORDER, email: OTHER_EMAIL },
      secondShop,
    ],
    [
      'first shop, its own number, the second shop’s email',
      OWN,
      { orderNumber: ORDER, email: OTHER_EMAIL },
      firstShop,
    ],
    ['second shop, the first shop’s number, no contact', OTHER, { orderNumber: ORDER }, firstShop],
  ];
  for (const [label, shop, body, shows] of lookups) {
    const sent = Object.values(body);
    const mustNotLeak = shows.filter((v) => !sent.includes(v));
    probes.push(
      {
        cls: 'portal: lookup or return on another shop',
        name: `POST /portal/{shopId}/lookup (${label})`,
        run: () =>
          send(
            ctx.url,
            'POST',
            `/portal/${shop}/lookup`,
            json,
            Buffer.from(JSON.stringify(body)),
            freshClientAddress(),
          ),
        mustNotLeak,
      },
      {
        cls: 'portal: lookup or return on another shop',
        name: `POST /returns (${label})`,
        run: () =>
          send(
            ctx.url,
            'POST',
            '/returns',
            json,
            Buffer.from(
              JSON.stringify({
                shopId: shop,
                ...body,
                type: 'exchange',
                lines: [{ lineId: '1', quantity: 1, reason: 'size_too_small' }],
              }),
            ),
            freshClientAddress(),
          ),
        mustNotLeak,
      },
    );
  }
  return probes;
}
