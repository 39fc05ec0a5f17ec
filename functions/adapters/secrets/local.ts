import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  contextString,
  describeContext,
  type SecretContext,
  type SecretsCipher,
  SecretUnreadableError,
  sealedBy,
} from './cipher.ts';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals with AES-256-GCM under a local 32-byte key (the local runtime keeps it in the data dir,
 * infra/local/state.ts). `local:` + base64url(iv | tag | ciphertext); the context is the AAD.
 */
export class LocalSecretsCipher implements SecretsCipher {
  readonly kind = 'local';
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error(`the local secrets key must be 32 bytes, not ${key.length}`);
    this.key = key;
  }

  async seal(plaintext: string, context: SecretContext): Promise<string> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(contextString(context)));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `local:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  async open(sealed: string, context: SecretContext): Promise<string> {
    const by = sealedBy(sealed);
    if (by !== 'local') {
      throw new SecretUnreadableError(
        `${describeContext(context)} is sealed with ${by === 'kms' ? 'a KMS key' : 'no known cipher'}, not the local key: set it again`,
      );
    }
    const raw = Buffer.from(sealed.slice('local:'.length), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES)
      throw new SecretUnreadableError(`${describeContext(context)} is damaged`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(contextString(context)));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      // GCM's tag check: another key (a data dir's key replaced), another item, or damage.
      throw new SecretUnreadableError(
        `${describeContext(context)} does not open with this local key (sealed with another key or for another item): set it again`,
      );
    }
  }
}
