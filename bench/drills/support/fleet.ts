import { request as httpRequest } from 'node:http';
import type { HttpAnswer, HttpClient } from '../../support/http';

export const TOKEN_AUDIENCES = { VAULT_ID_TOKEN: 'https://vault.example.com', AWS_ID_TOKEN: 'sts.amazonaws.com' } as const;
export type TokenVariable = keyof typeof TOKEN_AUDIENCES;
const VARIABLES = Object.keys(TOKEN_AUDIENCES) as TokenVariable[];

export interface MintedToken {
  readonly jobId: number;
  readonly variable: TokenVariable;
  readonly jwt: string;
  /** The replica that answered (index into the fleet's clients). */
  readonly replica: number;
}

export interface Delivery {
  readonly jobId: number;
  readonly replica: number;
  readonly tokens: readonly MintedToken[];
}

export interface FleetOptions {
  /** Report every job `success` (PUT /jobs/:id) once received, so none stays running. */
  readonly finish: boolean;
  /** Each runner waits this long after a job before asking again: paced load. */
  readonly pauseMs?: number;
  /** Called for every job received, before it is finished: the drill verifies its tokens here. */
  readonly onDelivery?: (delivery: Delivery) => void | Promise<void>;
  /** On 204: stop (false) or ask again after `idleMs` (true, until `stop()`). */
  readonly keepPolling?: boolean;
  readonly idleMs?: number;
}

/** What the runners saw: every job received, and every answer that was not a job or "no job". */
export interface FleetRecord {
  readonly deliveries: Delivery[];
  readonly latenciesMs: number[];
  /** `[at, latency]` of each pickup, for figures over time (soak). */
  readonly timeline: [number, number][];
  unavailable: number;
  retryAfterMissing: number;
  connectionErrors: number;
  finishRetries: number;
  readonly unexpected: string[];
}

interface JobPayload {
  readonly id: number;
  readonly token: string;
  readonly variables: { key: string; value: string }[];
}

/**
 * Runners as gitlab-runner behaves: each polls `POST /jobs/request`, takes the job, reports it, asks again; on 503 it
 * waits `Retry-After` (at most 2 s here, to keep drills short), on a broken connection it retries after 200 ms.
 * Runner `i` sends its n-th request to client `(i + n) % clients.length`: spread over replicas, request by request.
 */
export class RunnerFleet {
  readonly record: FleetRecord = {
    deliveries: [],
    latenciesMs: [],
    timeline: [],
    unavailable: 0,
    retryAfterMissing: 0,
    connectionErrors: 0,
    finishRetries: 0,
    unexpected: [],
  };
  private stopped = false;

  constructor(
    private readonly clients: readonly HttpClient[],
    private readonly runnerTokens: readonly string[],
    private readonly options: FleetOptions,
  ) {}

  run(): Promise<void> {
    return Promise.all(this.runnerTokens.map((token, index) => this.runner(token, index))).then(() => undefined);
  }

  stop(): void {
    this.stopped = true;
  }

  private async runner(token: string, index: number): Promise<void> {
    const body = JSON.stringify({ token, info: { name: 'lanyard-drill', version: '17.0.0' } });
    for (let sent = index; !this.stopped; sent++) {
      const replica = sent % this.clients.length;
      const start = performance.now();
      const answer = await this.send(replica, 'POST', '/api/v4/jobs/request', body);
      if (!answer) continue;
      if (answer.status === 204) {
        if (!this.options.keepPolling) return;
        await sleep(this.options.idleMs ?? 200);
        continue;
      }
      if (answer.status !== 201) {
        this.record.unexpected.push(`jobs/request answered ${answer.status} ${answer.body.slice(0, 200)}`);
        continue;
      }
      const latency = performance.now() - start;
      this.record.latenciesMs.push(latency);
      this.record.timeline.push([performance.now(), latency]);
      await this.deliver(JSON.parse(answer.body) as JobPayload, replica);
      if (this.options.pauseMs) await sleep(this.options.pauseMs);
    }
  }

  private async deliver(payload: JobPayload, replica: number): Promise<void> {
    const tokens: MintedToken[] = [];
    for (const variable of VARIABLES) {
      const entry = payload.variables.find((candidate) => candidate.key === variable);
      if (entry) tokens.push({ jobId: payload.id, variable, jwt: entry.value, replica });
      else this.record.unexpected.push(`job ${payload.id} came without ${variable}`);
    }
    const delivery = { jobId: payload.id, replica, tokens };
    this.record.deliveries.push(delivery);
    await this.options.onDelivery?.(delivery);
    if (this.options.finish) await this.finish(payload, replica);
  }

  /** Reports the job done, through outages and restarts, until the service takes the answer. */
  private async finish(payload: JobPayload, replica: number): Promise<void> {
    const body = JSON.stringify({ token: payload.token, state: 'success', exit_code: 0 });
    let lost = false;
    for (let attempt = 0; attempt < 600; attempt++) {
      const answer = await this.send(replica, 'PUT', `/api/v4/jobs/${payload.id}`, body);
      if (answer?.status === 200) return;
      // An earlier attempt may have been applied with its answer lost: the job is done and its token refused now.
      if (answer?.status === 403 && lost) return;
      lost ||= answer === null;
      if (answer && answer.status !== 503) {
        this.record.unexpected.push(`PUT /jobs/${payload.id} answered ${answer.status} ${answer.body.slice(0, 200)}`);
        return;
      }
      this.record.finishRetries += 1;
    }
    this.record.unexpected.push(`PUT /jobs/${payload.id} never succeeded`);
  }

  /** One request; null after an outage answer or a broken connection (already waited out). */
  private async send(replica: number, method: string, path: string, body: string): Promise<HttpAnswer | null> {
    let answer: HttpAnswer;
    try {
      answer = await this.clients[replica].send(method, path, body);
    } catch {
      this.record.connectionErrors += 1;
      await sleep(200);
      return null;
    }
    if (answer.status !== 503) return answer;
    this.record.unavailable += 1;
    const retryAfter = Number(answer.headers['retry-after']);
    if (!Number.isFinite(retryAfter) || retryAfter <= 0) this.record.retryAfterMissing += 1;
    await sleep(Math.min(2000, (Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 1) * 1000));
    return method === 'PUT' ? answer : null;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/**
 * A runner that dies (or loses its network) right after asking for a job: the request is sent in full, then the
 * connection is destroyed before any answer can arrive. Resolves once the socket is gone.
 */
export function abandonedRequest(baseUrl: string, runnerToken: string): Promise<void> {
  const body = JSON.stringify({ token: runnerToken, info: { name: 'lanyard-drill', version: '17.0.0' } });
  const url = new URL('/api/v4/jobs/request', baseUrl);
  return new Promise((done) => {
    const outgoing = httpRequest(url, {
      method: 'POST',
      agent: false,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    });
    outgoing.on('error', () => undefined);
    outgoing.on('close', () => done());
    // The server has the whole request; the pickup (a transaction, two signatures) takes longer than this.
    outgoing.on('finish', () => setTimeout(() => outgoing.destroy(), 5));
    outgoing.end(body);
  });
}
