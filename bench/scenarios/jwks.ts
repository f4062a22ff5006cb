import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadResult } from '../load/http-load';
import { HttpClient } from '../support/http';

const REGISTER = join(__dirname, '..', '..', 'tools', 'register.js');
export const JWKS_CONNECTIONS = 32;

export interface JwksResult {
  readonly app: LoadResult;
  readonly bareNode: LoadResult;
}

/**
 * `GET /oauth/discovery/keys` under load from a separate process (32 keep-alive connections), then the same load on a
 * bare Node server answering the same bytes and headers: the reference the application is compared with.
 */
export async function runJwks(client: HttpClient, baseUrl: string, seconds: number): Promise<JwksResult> {
  const answer = await client.send('GET', '/oauth/discovery/keys');
  if (answer.status !== 200) throw new Error(`JWKS answered ${answer.status}`);
  const bytes = Buffer.byteLength(answer.body);
  const app = await load(`${baseUrl}/oauth/discovery/keys`, seconds, bytes);
  const dir = mkdtempSync(join(tmpdir(), 'lanyard-jwks-'));
  writeFileSync(join(dir, 'jwks.json'), answer.body);
  const bare = fork(
    join(__dirname, '..', 'load', 'bare-server.ts'),
    [join(dir, 'jwks.json'), String(answer.headers['etag']), String(answer.headers['cache-control'])],
    {
      execArgv: ['-r', REGISTER],
    },
  );
  try {
    const port = await new Promise<number>((resolve, reject) => {
      bare.once('message', (message) => resolve(Number(message)));
      bare.once('exit', (code) => reject(new Error(`the bare Node server exited (${code})`)));
    });
    return { app, bareNode: await load(`http://127.0.0.1:${port}/oauth/discovery/keys`, seconds, bytes) };
  } finally {
    bare.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

function load(url: string, seconds: number, bytes: number): Promise<LoadResult> {
  const child = fork(join(__dirname, '..', 'load', 'http-load.ts'), [url, String(JWKS_CONNECTIONS), String(seconds), String(bytes)], {
    execArgv: ['-r', REGISTER],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (result: LoadResult) => {
      if (result.wrong > 0) reject(new Error(`JWKS load on ${url}: ${result.wrong} answers were not 200 with the expected ${bytes} bytes`));
      else resolve(result);
    });
    child.once('exit', (code) => code !== 0 && reject(new Error(`the load generator exited (${code})`)));
  });
}
