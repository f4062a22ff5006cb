import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppConfig } from '../config/app-config';

const FILE_NAME = 'key-encryption-key';

export interface ResolvedKeyEncryptionKey {
  readonly key: Buffer;
  /** Set when the key came from (or was just written to) the data directory instead of the environment. */
  readonly generatedFile: string | undefined;
}

/**
 * LANYARD_KEY_ENCRYPTION_KEY, or outside production a key generated once into the data directory (0600), so a
 * newcomer's `npm start` works and keeps working across restarts. Production refuses to start without the variable.
 */
export function resolveKeyEncryptionKey(config: AppConfig): ResolvedKeyEncryptionKey {
  if (config.keyEncryptionKey) return { key: config.keyEncryptionKey, generatedFile: undefined };
  const directory = resolve(config.dataDir);
  const file = join(directory, FILE_NAME);
  if (!existsSync(file)) {
    mkdirSync(directory, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process sharing the data directory wrote it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  chmodSync(file, 0o600);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte hex key; remove it or set LANYARD_KEY_ENCRYPTION_KEY`);
  return { key, generatedFile: file };
}
