import {
  DecryptCommand,
  EncryptCommand,
  IncorrectKeyException,
  InvalidCiphertextException,
  type KMSClient,
} from '@aws-sdk/client-kms';
import {
  describeContext,
  type SecretContext,
  type SecretsCipher,
  SecretUnreadableError,
  sealedBy,
} from './cipher.ts';

/** KMS accepts at most 4096 bytes of plaintext per Encrypt. */
const MAX_PLAINTEXT_BYTES = 4096;

/** Opened secrets kept per instance (a deployment has a handful of shops, a few secrets each). */
const MEMO_ENTRIES = 1000;

/**
 * Seals each secret with KMS Encrypt under the stack's key (`kms:` + base64 of the ciphertext
 * blob), bound to its shop and connector by the encryption context. Why not an envelope (a data
 * key and AES-GCM here): a secret is a few dozen bytes, far under KMS's 4 KB, so a data key would
 * add a second ciphertext and our own crypto for the same one KMS call per secret; and KMS
 * keeps every rotated key version, so a blob sealed before a rotation still opens after it.
 *
 * Opened values are kept by their ciphertext for the instance's life: a blob never changes
 * meaning, so the shop cache may re-read the table every few seconds (to see a rotation at once)
 * and KMS is called only for a ciphertext this instance has not opened yet.
 */
export class KmsSecretsCipher implements SecretsCipher {
  readonly kind = 'kms';
  private readonly opened = new Map<string, Promise<string>>();

  constructor(
    private readonly client: KMSClient,
    /** Key id, ARN or alias (the stack's SecretsKeyId output). */
    private readonly keyId: string,
  ) {}

  async seal(plaintext: string, context: SecretContext): Promise<string> {
    const bytes = Buffer.from(plaintext, 'utf8');
    if (bytes.length > MAX_PLAINTEXT_BYTES)
      throw new SecretUnreadableError(`a secret may be at most ${MAX_PLAINTEXT_BYTES} bytes`);
    const result = await this.client.send(
      new EncryptCommand({ KeyId: this.keyId, Plaintext: bytes, EncryptionContext: { ...context } }),
    );
    if (!result.CiphertextBlob) throw new Error('KMS Encrypt answered no ciphertext');
    return `kms:${Buffer.from(result.CiphertextBlob).toString('base64')}`;
  }

  open(sealed: string, context: SecretContext): Promise<string> {
    const memoKey = `${context.shopId}\u0000${context.connector}\u0000${sealed}`;
    let value = this.opened.get(memoKey);
    if (!value) {
      value = this.decrypt(sealed, context);
      this.opened.set(memoKey, value);
      // A failure (throttled, key disabled for a moment) is not remembered: the next read tries again.
      value.catch(() => this.opened.delete(memoKey));
      if (this.opened.size > MEMO_ENTRIES) this.opened.delete(this.opened.keys().next().value as string);
    }
    return value;
  }

  private async decrypt(sealed: string, context: SecretContext): Promise<string> {
    const by = sealedBy(sealed);
    if (by !== 'kms') {
      throw new SecretUnreadableError(
        `${describeContext(context)} is sealed with ${by === 'local' ? "a local runtime's key" : 'no known cipher'}, not KMS: set it again with \`aftersale connector set\``,
      );
    }
    try {
      const result = await this.client.send(
        new DecryptCommand({
          CiphertextBlob: Buffer.from(sealed.slice('kms:'.length), 'base64'),
          // Named, so a blob sealed under some other key is refused rather than opened with it.
          KeyId: this.keyId,
          EncryptionContext: { ...context },
        }),
      );
      if (!result.Plaintext) throw new Error('KMS Decrypt answered no plaintext');
      return Buffer.from(result.Plaintext).toString('utf8');
    } catch (err) {
      if (err instanceof InvalidCiphertextException || err instanceof IncorrectKeyException) {
        throw new SecretUnreadableError(
          `${describeContext(context)} does not open with KMS key ${this.keyId} (${err.name}: sealed under another key or for another item): set it again`,
        );
      }
      throw err;
    }
  }
}
