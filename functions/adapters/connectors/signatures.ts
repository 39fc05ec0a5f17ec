import { hmacSha256, safeEqual } from '../../lib/crypto.ts';

/*
 * Signature checks shared by the connectors. A shop's ConnectorConfig holds up to two secrets (the
 * current one and, during a rotation, the previous one); a delivery signed with either verifies.
 */

export interface SecretOptions {
  /**
   * Let an empty secret verify. Only for providers that sign with one themselves (WooCommerce does,
   * its own test vector is an empty secret); for everyone else an unset secret verifies nothing.
   */
  allowEmptySecret?: boolean;
}

/**
 * True if `received` is the signature one of the secrets makes (`sign(secret)`). Every secret is
 * signed and compared in constant time, even after a match, so the time taken does not tell which
 * secret matched or how far a forged signature got.
 */
export function signedByAnySecret(
  secrets: readonly string[],
  received: string | undefined,
  sign: (secret: string) => string,
  options: SecretOptions = {},
): boolean {
  const signature = received?.trim();
  if (!signature) return false;
  let matched = false;
  for (const secret of secrets) {
    if (secret === '' && !options.allowEmptySecret) continue;
    // safeEqual first: `||` must not skip the compare once a secret matched.
    matched = safeEqual(sign(secret), signature) || matched;
  }
  return matched;
}

/**
 * base64(HMAC-SHA256(secret, raw body)), the scheme of Shopify (`X-Shopify-Hmac-Sha256`),
 * WooCommerce (`X-WC-Webhook-Signature`) and AfterShip (`aftership-hmac-sha256`). Always the bytes as
 * sent: a re-serialised body never verifies.
 */
export function verifyHmacBase64(
  body: Buffer,
  received: string | undefined,
  secrets: readonly string[],
  options: SecretOptions = {},
): boolean {
  return signedByAnySecret(secrets, received, (secret) => hmacSha256(secret, body, 'base64'), options);
}
