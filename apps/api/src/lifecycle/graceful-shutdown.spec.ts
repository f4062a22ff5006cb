import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JsonLogger } from '../logging/json-logger';
import { shutDown } from './graceful-shutdown';

const quiet = new JsonLogger(() => undefined);

function get(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ port, host: '127.0.0.1', path: '/' }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe(shutDown.name, () => {
  it('answers the request in flight, refuses new connections, and closes only after the last request', async () => {
    let finishRequest!: () => void;
    let arrived!: () => void;
    const handling = new Promise<void>((resolve) => (arrived = resolve));
    const server = createServer((_request, response) => {
      finishRequest = () => response.end('done');
      arrived();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const inFlight = get(port);
    await handling;

    const events: string[] = [];
    const stopped = shutDown(
      { server, logger: quiet, close: async () => void events.push('closed'), exit: (code) => events.push(`exit ${code}`) },
      'SIGTERM',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(get(port)).rejects.toThrow(/ECONNREFUSED/);
    expect(events).toEqual([]);

    finishRequest();
    expect(await inFlight).toMatchObject({ status: 200, body: 'done' });
    await stopped;
    expect(events).toEqual(['closed', 'exit 0']);
  });

  it('cuts connections still open at the deadline and still closes', async () => {
    let arrived!: () => void;
    const handling = new Promise<void>((resolve) => (arrived = resolve));
    const server = createServer(() => arrived()); // never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const hanging = get(port).catch((error: Error) => error.message);
    await handling;
    const events: string[] = [];
    await shutDown(
      {
        server,
        logger: quiet,
        deadlineMs: 100,
        close: async () => void events.push('closed'),
        exit: (code) => events.push(`exit ${code}`),
      },
      'SIGINT',
    );
    expect(await hanging).toMatch(/socket hang up|ECONNRESET/);
    expect(events).toEqual(['closed', 'exit 0']);
  });

  it('exits 1 when closing fails', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const exits: number[] = [];
    await shutDown({ server, logger: quiet, close: () => Promise.reject(new Error('boom')), exit: (code) => exits.push(code) }, 'SIGTERM');
    expect(exits).toEqual([1]);
  });
});
