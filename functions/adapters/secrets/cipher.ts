/*
 * The port connector and channel secrets are sealed through before they reach the table, and
 * opened through when a function verifies or signs with them. On AWS a KMS key (kms.ts), here a
 * local key file (local.ts). A sealed secret is a string that names its cipher (`kms:...`,
 * `local:...`), so a value sealed by one is refused by the other with a message, not garbage.
 */

/**
 * What a sealed secret is bound to: the shop and the connector item it is stored in. The same
 * context must be given to open it, so a ciphertext copied into another shop's (or another
 * connector's) item does not open there. On KMS it is the encryption context (CloudTrail shows it
 * on every Decrypt); locally the additional authenticated data of AES-GCM.
 */
export interface SecretContext {
  shopId: string;
  connector: string;
}

export interface SecretsCipher {
  /** Which cipher seals; the prefix of what it returns. */
  readonly kind: 'kms' | 'local';
  seal(plaintext: string, context: SecretContext): Promise<string>;
  /** Throws `SecretUnreadableError` when the value does not open with this key and context. */
  open(sealed: string, context: SecretContext): Promise<string>;
}

/** A sealed secret that does not open: another cipher, another key, another item, or damage. */
export class SecretUnreadableError extends Error {
  override name = 'SecretUnreadableError';
}

/**
 * A process without the secrets key asked for a secret (on AWS: a function without `secretsKey`
 * in infra/topology.ts, so without SECRETS_KEY_ID and kms:Decrypt).
 */
export class SecretsKeyMissingError extends Error {
  override name = 'SecretsKeyMissingError';
}

/** The context as one canonical string (fixed key order): the AAD of the local cipher. */
export function contextString(context: SecretContext): string {
  return JSON.stringify({ shopId: context.shopId, connector: context.connector });
}

export function describeContext(context: SecretContext): string {
  return `the ${context.connector} secret of shop ${context.shopId}`;
}

/** Which cipher sealed a value, from its prefix (undefined: not a sealed value). */
export function sealedBy(value: string): 'kms' | 'local' | undefined {
  if (value.startsWith('kms:')) return 'kms';
  if (value.startsWith('local:')) return 'local';
  return undefined;
}
