import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { verifyAdminToken } from '../../../functions/lib/admin-auth.ts';
import type { AdminJwtSettings } from '../../../functions/lib/config.ts';
import { UnauthorizedError } from '../../../functions/lib/errors.ts';

// The kind of token: only ID tokens (they carry custom:shop_id) open the admin API.

const secret = 'a-local-admin-secret-of-at-least-32-chars';
const cognito = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Abc123';

async function token(claims: Record<string, unknown>, issuer?: string): Promise<string> {
  let jwt = new SignJWT({ 'custom:shop_id': 'shop-a', 'cognito:groups': ['staff'], ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('user-1')
    .setIssuedAt()
    .setExpirationTime('1h');
  if (issuer) jwt = jwt.setIssuer(issuer);
  return `Bearer ${await jwt.sign(new TextEncoder().encode(secret))}`;
}

const settings = (issuer?: string): AdminJwtSettings => ({
  kind: 'hs256',
  secret,
  ...(issuer && { issuer }),
});

describe('verifyAdminToken', () => {
  it('accepts a Cognito ID token (token_use id) and reads shop and groups from it', async () => {
    const auth = await verifyAdminToken(await token({ token_use: 'id' }, cognito), settings(cognito));
    expect(auth).toEqual({ shopId: 'shop-a', roles: ['staff'], sub: 'user-1' });
  });

  it('refuses a Cognito access token, though its signature and issuer are right', async () => {
    const access = await token({ token_use: 'access', client_id: 'client' }, cognito);
    await expect(verifyAdminToken(access, settings(cognito))).rejects.toThrow(UnauthorizedError);
    await expect(verifyAdminToken(access, settings(cognito))).rejects.toThrow(/ID token/);
  });

  it('refuses a Cognito token that does not say what it is for', async () => {
    await expect(verifyAdminToken(await token({}, cognito), settings(cognito))).rejects.toThrow(/ID token/);
  });

  it('refuses a token of any issuer that names another use', async () => {
    await expect(verifyAdminToken(await token({ token_use: 'refresh' }), settings())).rejects.toThrow(
      UnauthorizedError,
    );
  });

  it('accepts a local token without token_use (aftersale token mints those)', async () => {
    await expect(verifyAdminToken(await token({}), settings())).resolves.toMatchObject({ shopId: 'shop-a' });
  });
});
