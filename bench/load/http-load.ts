import { Agent, request } from 'node:http';

/**
 * A load generator in its own process (forked by the JWKS scenario): `connections` keep-alive connections, each
 * sending `GET path` back to back for `seconds`, counting 200 answers of exactly `bytes` bytes. Node rather than
 * wrk so the bench needs nothing installed; the bare Node server it is compared with is driven the same way.
 */
export interface LoadResult {
  readonly requests: number;
  readonly wrong: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
}

function run(url: URL, connections: number, seconds: number, bytes: number): Promise<LoadResult> {
  if (url.hostname !== '127.0.0.1') throw new Error(`the load generator only targets 127.0.0.1, not ${url.hostname}`);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const options = { host: url.hostname, port: Number(url.port), path: url.pathname, agent };
  let requests = 0;
  let wrong = 0;
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const outgoing = request(options, (response) => {
        let length = 0;
        response.on('data', (chunk: Buffer) => (length += chunk.length));
        response.on('end', () => {
          if (response.statusCode === 200 && length === bytes) requests += 1;
          else wrong += 1;
          resolve();
        });
      });
      outgoing.on('error', reject);
      outgoing.end();
    });
  const start = performance.now();
  const deadline = start + seconds * 1000;
  return Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) await once();
    }),
  ).then(() => {
    agent.destroy();
    const elapsed = (performance.now() - start) / 1000;
    return { requests, wrong, seconds: elapsed, requestsPerSecond: Math.round(requests / elapsed) };
  });
}

const [url, connections, seconds, bytes] = process.argv.slice(2);
run(new URL(url), Number(connections), Number(seconds), Number(bytes)).then(
  (result) => process.send!(result, () => process.exit(0)),
  (error: unknown) => {
    process.stderr.write(`[load] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
