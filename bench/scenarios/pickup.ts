import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { HttpClient } from '../support/http';
import type { ServerProcess } from '../support/server-process';

export const TOKEN_VARIABLES = ['VAULT_ID_TOKEN', 'AWS_ID_TOKEN'] as const;
const AUDIENCES: Record<(typeof TOKEN_VARIABLES)[number], string> = {
  VAULT_ID_TOKEN: 'https://vault.example.com',
  AWS_ID_TOKEN: 'sts.amazonaws.com',
};
const JWT_SHAPE = /^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]{300,}$/;

export interface Drain {
  readonly jobs: number;
  readonly wallMs: number;
  /** One per job handed out (201), from the request's first byte to the answer's last. */
  readonly latenciesMs: number[];
  readonly handedOut: number[];
  /** ID tokens kept for verification after the drain: those of every `sampleEvery`-th job. */
  readonly sampledTokens: { readonly jobId: number; readonly variable: (typeof TOKEN_VARIABLES)[number]; readonly jwt: string }[];
}

interface RunnerPayload {
  readonly id: number;
  readonly variables: { key: string; value: string; masked: boolean }[];
}

/**
 * `runnerTokens.length` runners poll `POST /api/v4/jobs/request` concurrently, each asking again as soon as it has a
 * job, until it hears 204. Every payload must carry both ID tokens, masked and JWT-shaped.
 */
export async function drainQueue(
  client: HttpClient,
  runnerTokens: readonly string[],
  expectedJobs: number,
  sampleEvery: number,
): Promise<Drain> {
  const latenciesMs: number[] = [];
  const handedOut: number[] = [];
  const sampledTokens: Drain['sampledTokens'][number][] = [];
  const runner = async (token: string) => {
    const body = JSON.stringify({ token, info: { name: 'lanyard-bench', version: '17.0.0' } });
    // Bounded: no runner can need more requests than there are jobs, plus its final 204.
    for (let request = 0; request <= expectedJobs; request++) {
      const start = performance.now();
      const answer = await client.send('POST', '/api/v4/jobs/request', body);
      const elapsed = performance.now() - start;
      if (answer.status === 204) return;
      if (answer.status !== 201) throw new Error(`jobs/request answered ${answer.status} ${answer.body.slice(0, 300)}`);
      latenciesMs.push(elapsed);
      const payload = JSON.parse(answer.body) as RunnerPayload;
      for (const variable of TOKEN_VARIABLES) {
        const entry = payload.variables.find((candidate) => candidate.key === variable);
        if (!entry || !entry.masked || !JWT_SHAPE.test(entry.value))
          throw new Error(`job ${payload.id} came without a signed, masked ${variable}`);
        if (handedOut.length % sampleEvery === 0) sampledTokens.push({ jobId: payload.id, variable, jwt: entry.value });
      }
      handedOut.push(payload.id);
    }
    throw new Error('a runner received more jobs than were queued');
  };
  const start = performance.now();
  await Promise.all(runnerTokens.map(runner));
  return { jobs: handedOut.length, wallMs: performance.now() - start, latenciesMs, handedOut, sampledTokens };
}

/**
 * Fails unless every job of `pipelineIds` was handed out exactly once, is now running, and has exactly one issuance
 * per ID token; read with SQL on the application's own connection.
 */
export async function checkExactlyOnce(
  server: ServerProcess,
  scenario: string,
  pipelineIds: readonly number[],
  drain: Drain,
): Promise<void> {
  const problems: string[] = [];
  const distinct = new Set(drain.handedOut);
  if (distinct.size !== drain.handedOut.length)
    problems.push(`${drain.handedOut.length - distinct.size} jobs were handed out more than once`);
  const rows = await server.sql<{ id: string; status: string; issued: string }>(
    `SELECT b.id, b.status, (SELECT count(*) FROM ci_id_token_issuances i WHERE i.build_id = b.id) AS issued
       FROM ci_builds b WHERE b.pipeline_id = ANY($1::bigint[])`,
    [pipelineIds],
  );
  const queued = new Set(rows.map((row) => Number(row.id)));
  const never = rows.filter((row) => !distinct.has(Number(row.id)));
  if (never.length) problems.push(`${never.length} jobs were never handed out (e.g. ${never[0].id}, ${never[0].status})`);
  const foreign = [...distinct].filter((id) => !queued.has(id));
  if (foreign.length) problems.push(`${foreign.length} handed-out jobs were not queued for these runners`);
  const notRunning = rows.filter((row) => row.status !== 'running');
  if (notRunning.length) problems.push(`${notRunning.length} jobs are not running (e.g. ${notRunning[0].id}: ${notRunning[0].status})`);
  const wrongAudit = rows.filter((row) => Number(row.issued) !== TOKEN_VARIABLES.length);
  if (wrongAudit.length) problems.push(`${wrongAudit.length} jobs do not have exactly ${TOKEN_VARIABLES.length} issuances recorded`);
  if (problems.length) throw new Error(`${scenario}: jobs were not handed out exactly once:\n  - ${problems.join('\n  - ')}`);
}

/** Verifies the sampled tokens with jose against the JWKS the server publishes: signature, issuer, audience, kid. */
export async function verifySampledTokens(client: HttpClient, issuer: string, drain: Drain): Promise<number> {
  const answer = await client.send('GET', '/oauth/discovery/keys');
  if (answer.status !== 200) throw new Error(`JWKS answered ${answer.status}`);
  const keySet = createLocalJWKSet(JSON.parse(answer.body) as JSONWebKeySet);
  for (const sample of drain.sampledTokens) {
    const { payload } = await jwtVerify(sample.jwt, keySet, { algorithms: ['RS256'], issuer, audience: AUDIENCES[sample.variable] }).catch(
      (error: unknown) => {
        throw new Error(
          `job ${sample.jobId}: ${sample.variable} does not verify against the served JWKS: ${error instanceof Error ? error.message : String(error)}`,
        );
      },
    );
    if (payload.job_id !== String(sample.jobId))
      throw new Error(`job ${sample.jobId}: ${sample.variable} names job ${String(payload.job_id)}`);
  }
  return drain.sampledTokens.length;
}
