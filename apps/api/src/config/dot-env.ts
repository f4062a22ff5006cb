import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * `.env` in the working directory, when present, as `.env.example` suggests. Variables already set in the environment
 * win, as with Node's `--env-file`. Returns the file read, if any.
 */
export function loadDotEnv(path = '.env'): string | undefined {
  const file = resolve(path);
  if (!existsSync(file)) return undefined;
  process.loadEnvFile(file);
  return file;
}
