import { Agent, request } from 'node:http';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * Plain `node:http` over keep-alive connections to 127.0.0.1 only: cheaper per request than `fetch`, so on a small
 * machine more of the CPU is left to the server being measured.
 */
export class HttpClient {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, connections: number) {
    const url = new URL(baseUrl);
    if (url.hostname !== '127.0.0.1') throw new Error(`the bench only talks to 127.0.0.1, not ${url.hostname}`);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  /**
   * One request. A keep-alive connection the server closed as idle just as it was reused fails with ECONNRESET before
   * the server read anything: that one is sent again on a fresh connection, as Node's documentation recommends
   * (`request.reusedSocket`); every other failure is the caller's.
   */
  async send(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
    try {
      return await this.sendOnce(method, path, body, headers);
    } catch (error) {
      if (!(error instanceof StaleConnectionError)) throw error;
      return this.sendOnce(method, path, body, headers);
    }
  }

  private sendOnce(method: string, path: string, body: string | undefined, headers: Record<string, string>): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          host: this.host,
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers:
            body === undefined ? headers : { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
          );
          response.on('error', reject);
        },
      );
      outgoing.on('error', (error: NodeJS.ErrnoException) =>
        reject(outgoing.reusedSocket && error.code === 'ECONNRESET' ? new StaleConnectionError(error.message) : error),
      );
      outgoing.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

class StaleConnectionError extends Error {}
