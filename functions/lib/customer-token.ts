import { jwtVerify, SignJWT } from 'jose';
import { UnauthorizedError } from './errors.ts';

/**
 * The token a customer gets for one case: HS256, `sub` the case id, `shop` its shop, `scope`
 * `case`, valid 90 days. It opens that case's page and its two customer actions (register the
 * return parcel, withdraw) and nothing else: the admin API checks other keys and claims.
 */
const TTL_SECONDS = 90 * 86_400;
const ISSUER = 'aftersale/customer';

export async function signCaseToken(
  secret: string,
  claims: { shopId: string; caseId: string },
  nowMs = Date.now(),
) {
  const now = Math.floor(nowMs / 1000);
  return new SignJWT({ shop: claims.shopId, scope: 'case' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setSubject(claims.caseId)
    .setIssuedAt(now)
    .setExpirationTime(now + TTL_SECONDS)
    .sign(new TextEncoder().encode(secret));
}

/** The Bearer token must be this case's, of this shop, unexpired; anything else is a 401. */
export async function verifyCaseToken(
  secret: string,
  authorization: string | undefined,
  expected: { shopId?: string; caseId: string },
): Promise<{ shopId: string; caseId: string }> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) throw new UnauthorizedError('a Bearer token (the one given with the case) is required');
  try {
    const { payload } = await jwtVerify(match[1]!, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      subject: expected.caseId,
      requiredClaims: ['exp', 'sub'],
    });
    if (payload.scope !== 'case' || typeof payload.shop !== 'string') throw new Error('not a case token');
    if (expected.shopId && payload.shop !== expected.shopId) throw new Error('another shop');
    return { shopId: payload.shop, caseId: expected.caseId };
  } catch {
    throw new UnauthorizedError('the token is not valid for this case');
  }
}

/**
 * The token of an unsubscribe link (email footer, List-Unsubscribe): HS256, `sub` the customer,
 * `shop`, `scope` `unsubscribe`, `channel` (`email`, `sms` or `all`), valid 400 days (a link in
 * an old newsletter still works). It can only opt that customer out (or back in) of marketing.
 */
const UNSUBSCRIBE_TTL_SECONDS = 400 * 86_400;

export interface UnsubscribeClaims {
  shopId: string;
  customerId: string;
  channel: 'email' | 'sms' | 'all';
}

export async function signUnsubscribeToken(secret: string, claims: UnsubscribeClaims, nowMs = Date.now()) {
  const now = Math.floor(nowMs / 1000);
  return new SignJWT({ shop: claims.shopId, scope: 'unsubscribe', channel: claims.channel })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setSubject(claims.customerId)
    .setIssuedAt(now)
    .setExpirationTime(now + UNSUBSCRIBE_TTL_SECONDS)
    .sign(new TextEncoder().encode(secret));
}

/** An unsubscribe link's token, or a 401 that says the link is not valid (or too old). */
export async function verifyUnsubscribeToken(secret: string, token: string): Promise<UnsubscribeClaims> {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      requiredClaims: ['exp', 'sub'],
    });
    const channel = payload.channel;
    if (payload.scope !== 'unsubscribe' || typeof payload.shop !== 'string' || !payload.sub)
      throw new Error('not an unsubscribe token');
    if (channel !== 'email' && channel !== 'sms' && channel !== 'all') throw new Error('no channel');
    return { shopId: payload.shop, customerId: payload.sub, channel };
  } catch {
    throw new UnauthorizedError('this unsubscribe link is not valid (or has expired)');
  }
}
