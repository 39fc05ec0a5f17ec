import { KMSClient } from '@aws-sdk/client-kms';
import type { Config, SecretsKeySetting } from '../../lib/config.ts';
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

/**
 * What createDeps (functions/deps.ts) is given when the config names a secrets key: its cipher;
 * nothing when it names none. Only the functions that hold the key import this module, so only
 * their bundles carry the KMS client.
 */
export function secretsOf(
  config: Pick<Config, 'secretsKey'>,
  clients: { kms?: KMSClient } = {},
): { cipher?: SecretsCipher } {
  return config.secretsKey ? { cipher: secretsCipherFor(config.secretsKey, clients) } : {};
}
