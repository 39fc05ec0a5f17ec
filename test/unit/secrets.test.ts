import { randomBytes } from 'node:crypto';
import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SecretUnreadableError } from '../../functions/adapters/secrets/cipher.ts';
import { secretsCipherFor } from '../../functions/adapters/secrets/index.ts';
import { KmsSecretsCipher } from '../../functions/adapters/secrets/kms.ts';
import { LocalSecretsCipher } from '../../functions/adapters/secrets/local.ts';
import { ConfigError, readConfig } from '../../functions/lib/config.ts';
import { fakeKms } from '../support/fake-kms.ts';

const KEY_ID = 'arn:aws:kms:eu-west-1:111122223333:key/0b6c-test';
const shopify = { shopId: 'shop-a', connector: 'shopify' };

describe('LocalSecretsCipher', () => {
  const cipher = new LocalSecretsCipher(randomBytes(32));

  it('seals to a local: value without the plaintext, different every time, that opens to the secret', async () => {
    const a = await cipher.seal('shpss_0123456789', shopify);
    const b = await cipher.seal('shpss_0123456789', shopify);
    expect(a).toMatch(/^local:[A-Za-z0-9_-]+$/);
    expect(a).not.toContain('shpss');
    expect(a).not.toBe(b);
    expect(await cipher.open(a, shopify)).toBe('shpss_0123456789');
    expect(await cipher.open(`local:${a.slice(6)}`, shopify)).toBe('shpss_0123456789');
  });

  it("refuses a value moved to another shop's or another connector's item", async () => {
    const sealed = await cipher.seal('s3cret', shopify);
    await expect(cipher.open(sealed, { shopId: 'shop-b', connector: 'shopify' })).rejects.toThrow(
      SecretUnreadableError,
    );
    await expect(cipher.open(sealed, { shopId: 'shop-a', connector: 'outbound' })).rejects.toThrow(
      /does not open with this local key/,
    );
  });

  it('refuses what another key sealed, a KMS value, and damage, each with its reason', async () => {
    const other = new LocalSecretsCipher(randomBytes(32));
    await expect(cipher.open(await other.seal('x', shopify), shopify)).rejects.toThrow(SecretUnreadableError);
    await expect(cipher.open('kms:AQID', shopify)).rejects.toThrow(/sealed with a KMS key/);
    await expect(cipher.open('local:AAAA', shopify)).rejects.toThrow(/damaged/);
    expect(() => new LocalSecretsCipher(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('KmsSecretsCipher', () => {
  const kms = fakeKms(KEY_ID);
  beforeEach(() => kms.reset());
  afterAll(() => kms.restore());
  const client = new KMSClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });

  it('encrypts with the key and the shop and connector as encryption context, and decrypts with both', async () => {
    const cipher = new KmsSecretsCipher(client, KEY_ID);
    const sealed = await cipher.seal('whsec_abc', shopify);
    expect(sealed).toMatch(/^kms:[A-Za-z0-9+/=]+$/);
    expect(Buffer.from(sealed.slice(4), 'base64').includes(Buffer.from('whsec_abc'))).toBe(false);
    const encrypt = kms.mock.commandCalls(EncryptCommand)[0]!.args[0].input;
    expect(encrypt.KeyId).toBe(KEY_ID);
    expect(encrypt.EncryptionContext).toEqual({ shopId: 'shop-a', connector: 'shopify' });
    expect(await cipher.open(sealed, shopify)).toBe('whsec_abc');
    const decrypt = kms.mock.commandCalls(DecryptCommand)[0]!.args[0].input;
    expect(decrypt.KeyId).toBe(KEY_ID);
    expect(decrypt.EncryptionContext).toEqual({ shopId: 'shop-a', connector: 'shopify' });
  });

  it('calls KMS once per ciphertext an instance opens, however often the shop is read', async () => {
    const cipher = new KmsSecretsCipher(client, KEY_ID);
    const sealed = await cipher.seal('whsec_abc', shopify);
    const opened = await Promise.all(Array.from({ length: 20 }, () => cipher.open(sealed, shopify)));
    expect(new Set(opened)).toEqual(new Set(['whsec_abc']));
    expect(kms.decrypts()).toBe(1);
    // A rotated secret is a new ciphertext: one more call, for it alone.
    await cipher.open(await cipher.seal('whsec_new', shopify), shopify);
    await cipher.open(sealed, shopify);
    expect(kms.decrypts()).toBe(2);
  });

  it('does not remember a failed decrypt: a throttled read is tried again on the next one', async () => {
    const cipher = new KmsSecretsCipher(client, KEY_ID);
    const sealed = await cipher.seal('whsec_abc', shopify);
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    kms.mock.on(DecryptCommand).rejects(throttled);
    await expect(cipher.open(sealed, shopify)).rejects.toThrow('Rate exceeded');
    kms.reset();
    expect(await cipher.open(sealed, shopify)).toBe('whsec_abc');
  });

  it('still opens what was sealed before the key rotated (KMS keeps every key version)', async () => {
    const before = await new KmsSecretsCipher(client, KEY_ID).seal('old-secret', shopify);
    kms.rotate();
    const cipher = new KmsSecretsCipher(client, KEY_ID);
    const after = await cipher.seal('new-secret', shopify);
    expect(Buffer.from(before.slice(4), 'base64')[0]).toBe(0);
    expect(Buffer.from(after.slice(4), 'base64')[0]).toBe(1);
    expect(await cipher.open(before, shopify)).toBe('old-secret');
    expect(await cipher.open(after, shopify)).toBe('new-secret');
  });

  it("refuses another item's ciphertext, another key's, and a local one (without calling KMS)", async () => {
    const cipher = new KmsSecretsCipher(client, KEY_ID);
    const sealed = await cipher.seal('whsec_abc', shopify);
    await expect(cipher.open(sealed, { shopId: 'shop-b', connector: 'shopify' })).rejects.toThrow(
      /does not open with KMS key .*InvalidCiphertextException/,
    );
    await expect(
      new KmsSecretsCipher(client, 'arn:aws:kms:eu-west-1:111122223333:key/other').open(sealed, shopify),
    ).rejects.toThrow(/IncorrectKeyException/);
    const calls = kms.decrypts();
    await expect(cipher.open('local:AAAA', shopify)).rejects.toThrow(/a local runtime's key, not KMS/);
    expect(kms.decrypts()).toBe(calls);
  });

  it('refuses a secret over the 4096 bytes KMS takes', async () => {
    const cipher = new KmsSecretsCipher(client, KEY_ID);
    await expect(cipher.seal('界'.repeat(1366), shopify)).rejects.toThrow(/at most 4096 bytes/);
    expect(kms.encrypts()).toHaveLength(0);
  });
});

describe('SECRETS_KEY_ID', () => {
  it('names a KMS key on AWS and carries the local key here', () => {
    expect(readConfig({ TABLE_NAME: 't', SECRETS_KEY_ID: KEY_ID }).secretsKey).toEqual({
      kind: 'kms',
      keyId: KEY_ID,
    });
    const key = randomBytes(32).toString('base64url');
    const local = readConfig({ TABLE_NAME: 't', SECRETS_KEY_ID: `local:${key}` }).secretsKey;
    expect(local).toEqual({ kind: 'local', key });
    expect(secretsCipherFor(local!).kind).toBe('local');
    expect(readConfig({ TABLE_NAME: 't' }).secretsKey).toBeUndefined();
  });

  it('fails at cold start on a local key that is not 32 bytes', () => {
    expect(() => readConfig({ TABLE_NAME: 't', SECRETS_KEY_ID: 'local:c2hvcnQ' })).toThrow(ConfigError);
  });
});
