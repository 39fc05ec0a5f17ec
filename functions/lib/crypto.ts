import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type Digest = 'hex' | 'base64';

export function hmacSha256(secret: string | Buffer, body: Buffer | string, encoding: Digest): string {
  return createHmac('sha256', secret).update(body).digest(encoding);
}

export function sha256(data: Buffer | string, encoding: Digest = 'hex'): string {
  return createHash('sha256').update(data).digest(encoding);
}

export function md5(data: Buffer | string, encoding: Digest = 'hex'): string {
  return createHash('md5').update(data).digest(encoding);
}

/**
 * Constant-time comparison of two signatures given as text. Unequal lengths return false at once,
 * which leaks only the length of the expected value (public: it is the digest size).
 */
export function safeEqual(expected: string, received: string | undefined): boolean {
  if (received === undefined) return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A short stable id from any parts: used for deterministic event, effect and timer ids. */
export function stableId(...parts: Array<string | number>): string {
  return sha256(parts.join('\u0000'), 'hex').slice(0, 32);
}
