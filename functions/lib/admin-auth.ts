import type { MiddlewareObj } from '@middy/core';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { ShopId } from '../../schemas/common.ts';
import type { AdminJwtSettings } from './config.ts';
import { UnauthorizedError } from './errors.ts';
import type { HttpEvent, HttpResult } from './http.ts';

export type Role = 'staff' | 'manager';

export interface AdminAuth {
  shopId: string;
  roles: Role[];
  sub: string;
}

export type AdminEvent = HttpEvent & { auth: AdminAuth };

/** The longest a local token may live (`aftersale token --ttl` refuses more). */
export const MAX_LOCAL_TOKEN_SECONDS = 30 * 86_400;
const CLOCK_SKEW_SECONDS = 60;

/** One key set per issuer, fetched and cached by jose. */
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/**
 * Verifies the Bearer JWT and attaches `event.auth`. Locally the tokens are HS256 with a key made
 * once by `aftersale token`; on AWS they come from an OIDC issuer (the stack's Cognito pool), whose
 * JWKS is fetched and cached by jose. The shop comes from the `shop_id` (or Cognito
 * `custom:shop_id`) claim and roles from `roles` (or `cognito:groups`).
 */
export async function verifyAdminToken(
  authorization: string | undefined,
  settings: AdminJwtSettings,
): Promise<AdminAuth> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) throw new UnauthorizedError('a Bearer token is required');
  let payload: JWTPayload;
  try {
    const options = {
      ...(settings.issuer && { issuer: settings.issuer }),
      ...(settings.audience && { audience: settings.audience }),
      // A token without an expiry would be valid forever.
      requiredClaims: ['exp', 'sub'],
    };
    if (settings.kind === 'hs256') {
      ({ payload } = await jwtVerify(match[1]!, new TextEncoder().encode(settings.secret), {
        ...options,
        algorithms: ['HS256'],
      }));
      // Local tokens are minted by `aftersale token` for at most 30 days; a longer-lived one is not ours.
      if ((payload.exp ?? 0) > Date.now() / 1000 + MAX_LOCAL_TOKEN_SECONDS + CLOCK_SKEW_SECONDS) {
        throw new Error('expiry too far ahead');
      }
    } else {
      let keySet = keySets.get(settings.issuer);
      if (!keySet) {
        keySet = createRemoteJWKSet(new URL(`${settings.issuer.replace(/\/$/, '')}/.well-known/jwks.json`));
        keySets.set(settings.issuer, keySet);
      }
      ({ payload } = await jwtVerify(match[1]!, keySet, { ...options, algorithms: ['RS256'] }));
    }
  } catch {
    throw new UnauthorizedError('the token is invalid or expired');
  }
  assertIdToken(payload);
  // The shop claim must be a shop id: `#` and the like are key separators, never part of one.
  const shopId = ShopId.safeParse(payload.shop_id ?? payload['custom:shop_id']);
  const rawRoles = payload.roles ?? payload['cognito:groups'];
  const roles = (Array.isArray(rawRoles) ? rawRoles : []).filter(
    (r): r is Role => r === 'staff' || r === 'manager',
  );
  if (!shopId.success || roles.length === 0 || !payload.sub) {
    throw new UnauthorizedError('the token carries no valid shop or role');
  }
  return { shopId: shopId.data, roles, sub: payload.sub };
}

/** A Cognito user pool signs with one issuer URL (`https://cognito-idp.{region}.amazonaws.com/{poolId}`). */
const COGNITO_ISSUER = /^https:\/\/cognito-idp\.[a-z0-9-]+\.amazonaws\.com\//;

/**
 * Only ID tokens carry `custom:shop_id` and are meant for this API. Cognito's access tokens are
 * signed by the same keys and pass the gateway's JWT authorizer (it accepts `client_id` for the
 * audience), so the kind is checked here: a Cognito token must say `token_use: id`, and a token of
 * any issuer that names another use (`access`) is refused.
 */
function assertIdToken(payload: JWTPayload): void {
  const use = payload.token_use;
  const fromCognito = typeof payload.iss === 'string' && COGNITO_ISSUER.test(payload.iss);
  if ((use !== undefined || fromCognito) && use !== 'id') {
    throw new UnauthorizedError('an ID token is required');
  }
}

export function adminAuth(settings: AdminJwtSettings): MiddlewareObj<AdminEvent, HttpResult> {
  return {
    before: async (request) => {
      request.event.auth = await verifyAdminToken(request.event.headers?.authorization, settings);
    },
  };
}
