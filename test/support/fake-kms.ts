import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  DecryptCommand,
  type DecryptCommandInput,
  EncryptCommand,
  type EncryptCommandInput,
  IncorrectKeyException,
  InvalidCiphertextException,
  KMSClient,
  NotFoundException,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';

/*
 * KMS as far as Encrypt and Decrypt go, for tests (there is no KMS emulator): every KMSClient is
 * mocked (aws-sdk-client-mock), and the mock really encrypts (AES-256-GCM), binds the encryption
 * context (any order) and names the key version in the blob, so a rotated key still opens what
 * its earlier versions sealed, as KMS does; a wrong context or key is refused as KMS refuses it.
 */
export function fakeKms(keyId: string) {
  const mock = mockClient(KMSClient);
  const versions: Buffer[] = [randomBytes(32)];
  const aad = (context: Record<string, string> | undefined) =>
    Buffer.from(JSON.stringify(Object.entries(context ?? {}).sort(([a], [b]) => a.localeCompare(b))));
  const metadata = { $metadata: {} };

  const install = () => {
    mock.on(EncryptCommand).callsFake((input: EncryptCommandInput) => {
      if (input.KeyId !== keyId)
        throw new NotFoundException({ message: `no key ${input.KeyId}`, ...metadata });
      const version = versions.length - 1;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', versions[version]!, iv);
      cipher.setAAD(aad(input.EncryptionContext));
      const body = Buffer.concat([cipher.update(input.Plaintext!), cipher.final()]);
      return {
        CiphertextBlob: Buffer.concat([Buffer.from([version]), iv, cipher.getAuthTag(), body]),
        KeyId: keyId,
      };
    });
    mock.on(DecryptCommand).callsFake((input: DecryptCommandInput) => {
      if (input.KeyId !== undefined && input.KeyId !== keyId)
        throw new IncorrectKeyException({ message: 'the key is not the one named', ...metadata });
      const blob = Buffer.from(input.CiphertextBlob!);
      const key = versions[blob[0]!];
      try {
        if (!key) throw new Error('no such version');
        const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(1, 13));
        decipher.setAAD(aad(input.EncryptionContext));
        decipher.setAuthTag(blob.subarray(13, 29));
        return {
          Plaintext: Buffer.concat([decipher.update(blob.subarray(29)), decipher.final()]),
          KeyId: keyId,
        };
      } catch {
        throw new InvalidCiphertextException({ message: 'invalid ciphertext', ...metadata });
      }
    });
  };
  install();

  return {
    mock,
    /** A new key version (KMS automatic rotation): new seals use it, old blobs still open. */
    rotate() {
      versions.push(randomBytes(32));
    },
    decrypts: () => mock.commandCalls(DecryptCommand).length,
    encrypts: () => mock.commandCalls(EncryptCommand),
    /** Back to a working KMS after a test's own `.on(...).rejects(...)`. */
    reset() {
      mock.reset();
      install();
    },
    restore: () => mock.restore(),
  };
}
