import type { MiddlewareObj } from '@middy/core';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { config } from './config.ts';
import { UnauthorizedError } from './errors.ts';
import type { HttpEvent, HttpResult } from './http.ts';

export type Role = 'staff' | 'manager';

export interface AdminAuth {
  shopId: string;
  roles: Role[];
  sub: string;
}

export type AdminEvent = HttpEvent & { auth: AdminAuth };

let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

/**
 * Verifies the Bearer JWT and attaches `event.auth`. Locally the tokens are HS256 with a key made
 * once by `aftersale token`; on AWS they come from an OIDC issuer (the stack's Cognito pool), whose
 * JWKS is fetched and cached by jose. The shop comes from the `shop_id` (or Cognito
 * `custom:shop_id`) claim and roles from `roles` (or `cognito:groups`).
 */
export async function verifyAdminToken(authorization: string | undefined): Promise<AdminAuth> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) throw new UnauthorizedError('a Bearer token is required');
  const settings = config.adminJwt();
  let payload: JWTPayload;
  try {
    const options = {
      ...(settings.issuer && { issuer: settings.issuer }),
      ...(settings.audience && { audience: settings.audience }),
    };
    if (settings.kind === 'hs256') {
      ({ payload } = await jwtVerify(match[1]!, new TextEncoder().encode(settings.secret), {
        ...options,
        algorithms: ['HS256'],
      }));
    } else {
      jwks ??= createRemoteJWKSet(new URL(`${settings.issuer.replace(/\/$/, '')}/.well-known/jwks.json`));
      ({ payload } = await jwtVerify(match[1]!, jwks, { ...options, algorithms: ['RS256'] }));
    }
  } catch {
    throw new UnauthorizedError('the token is invalid or expired');
  }
  const shopId = payload.shop_id ?? payload['custom:shop_id'];
  const rawRoles = payload.roles ?? payload['cognito:groups'];
  const roles = (Array.isArray(rawRoles) ? rawRoles : []).filter(
    (r): r is Role => r === 'staff' || r === 'manager',
  );
  if (typeof shopId !== 'string' || roles.length === 0 || !payload.sub) {
    throw new UnauthorizedError('the token carries no shop or role');
  }
  return { shopId, roles, sub: payload.sub };
}

export function adminAuth(): MiddlewareObj<AdminEvent, HttpResult> {
  return {
    before: async (request) => {
      request.event.auth = await verifyAdminToken(request.event.headers?.authorization);
    },
  };
}
