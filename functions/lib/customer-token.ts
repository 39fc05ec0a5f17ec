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
