import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { KeyDecryptionError, decryptPrivateKey, encryptPrivateKey } from './key-encryption';
import { resolveKeyEncryptionKey } from './key-encryption-key';

const KEY = Buffer.alloc(32, 1);
const SECRET = Buffer.from('-----BEGIN PRIVATE KEY-----\nsecret material\n-----END PRIVATE KEY-----\n');

describe(encryptPrivateKey.name, () => {
  it('round-trips, with a fresh IV each time and no plaintext in the sealed bytes', () => {
    const first = encryptPrivateKey(SECRET, KEY);
    const second = encryptPrivateKey(SECRET, KEY);
    expect(first.equals(second)).toBe(false);
    expect(first.toString('latin1')).not.toContain('secret material');
    expect(decryptPrivateKey(first, KEY)).toEqual(SECRET);
  });

  it.each([
    ['the wrong key', (sealed: Buffer) => decryptPrivateKey(sealed, Buffer.alloc(32, 2))],
    [
      'a flipped ciphertext byte',
      (sealed: Buffer) => decryptPrivateKey(Buffer.concat([sealed.subarray(0, -1), Buffer.from([sealed[sealed.length - 1] ^ 1])]), KEY),
    ],
    ['a truncated value', (sealed: Buffer) => decryptPrivateKey(sealed.subarray(0, 10), KEY)],
  ])('refuses %s with an error that names the variable and carries no key material', (_case, open) => {
    const sealed = encryptPrivateKey(SECRET, KEY);
    expect(() => open(sealed)).toThrow(KeyDecryptionError);
    try {
      open(sealed);
    } catch (error) {
      expect((error as Error).message).toBe('a signing key could not be decrypted: check LANYARD_KEY_ENCRYPTION_KEY');
    }
  });
});

describe(resolveKeyEncryptionKey.name, () => {
  it('uses LANYARD_KEY_ENCRYPTION_KEY when set, writing nothing', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lanyard-kek-'));
    const resolved = resolveKeyEncryptionKey(loadConfig({ LANYARD_KEY_ENCRYPTION_KEY: 'ab'.repeat(32), LANYARD_DATA_DIR: dataDir }));
    expect(resolved).toEqual({ key: Buffer.from('ab'.repeat(32), 'hex'), generatedFile: undefined });
  });

  it('generates a key once into the data directory (mode 0600) outside production, and reuses it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lanyard-kek-'));
    const config = loadConfig({ LANYARD_DATA_DIR: dataDir });
    const first = resolveKeyEncryptionKey(config);
    const second = resolveKeyEncryptionKey(config);
    expect(first.key).toHaveLength(32);
    expect(second.key).toEqual(first.key);
    expect(first.generatedFile).toBe(join(dataDir, 'key-encryption-key'));
    expect(statSync(first.generatedFile!).mode & 0o777).toBe(0o600);
    expect(readFileSync(first.generatedFile!, 'utf8').trim()).toBe(first.key.toString('hex'));
  });

  it('refuses a damaged key file, naming it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'lanyard-kek-'));
    writeFileSync(join(dataDir, 'key-encryption-key'), 'not hex');
    expect(() => resolveKeyEncryptionKey(loadConfig({ LANYARD_DATA_DIR: dataDir }))).toThrow(
      /key-encryption-key does not hold a 32-byte hex key/,
    );
  });
});
