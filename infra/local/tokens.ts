import { SignJWT } from 'jose';
import { MAX_LOCAL_TOKEN_SECONDS } from '../../functions/lib/admin-auth.ts';
import { ShopId } from '../../schemas/common.ts';

/** `8h`, `30m`, `7d`, `3600s` → seconds. */
export function parseTtl(ttl: string): number {
  const match = /^(\d+)([smhd])$/.exec(ttl.trim());
  if (!match) throw new Error(`invalid --ttl "${ttl}": use a number with s, m, h or d, such as 8h`);
  const seconds = { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  const total = Number(match[1]) * seconds;
  if (total <= 0 || total > MAX_LOCAL_TOKEN_SECONDS) throw new Error('--ttl must be between 1s and 30d');
  return total;
}

/** A staff token the local admin API accepts (HS256 with the local key; claims as Cognito's map to). */
export async function signLocalToken(
  key: string,
  claims: { shopId: string; role: 'staff' | 'manager'; subject?: string },
  ttl = '8h',
): Promise<string> {
  const shopId = ShopId.safeParse(claims.shopId);
  if (!shopId.success)
    throw new Error(`"${claims.shopId}" is not a shop id (${shopId.error.issues[0]?.message})`);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ shop_id: shopId.data, roles: [claims.role] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.subject ?? `local-${claims.role}`)
    .setIssuedAt(now)
    .setExpirationTime(now + parseTtl(ttl))
    .sign(new TextEncoder().encode(key));
}
