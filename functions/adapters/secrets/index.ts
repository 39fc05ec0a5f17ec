import { KMSClient } from '@aws-sdk/client-kms';
import type { SecretsKeySetting } from '../../lib/config.ts';
import type { SecretsCipher } from './cipher.ts';
import { KmsSecretsCipher } from './kms.ts';
import { LocalSecretsCipher } from './local.ts';

/** The cipher the configured secrets key names: KMS on AWS, the local key file's key here. */
export function secretsCipherFor(
  setting: SecretsKeySetting,
  clients: { kms?: KMSClient } = {},
): SecretsCipher {
  if (setting.kind === 'local') return new LocalSecretsCipher(Buffer.from(setting.key, 'base64url'));
  return new KmsSecretsCipher(clients.kms ?? new KMSClient({}), setting.keyId);
}
