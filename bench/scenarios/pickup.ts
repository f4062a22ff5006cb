import { ApiClient, BenchUser, Fixtures } from '../support/api-client';
import { pickupYaml } from '../support/ci-yaml';
import { QueryMeter, QueryMeterReading } from '../support/query-meter';
import { LatencySummary, round, summarize } from '../support/stats';

export interface PickupOptions {
  readonly name: string;
  readonly jobs: number;
  readonly runners: number;
  readonly idTokens: boolean;
}

export interface PickupResult {
  readonly name: string;
  readonly jobs: number;
  readonly runners: number;
  readonly idTokensPerJob: number;
  readonly latencyMs: LatencySummary;
  readonly jobsPerSecond: number;
  readonly wallMs: number;
  /** 204 answers seen while other runners held the last jobs (not counted in the latencies). */
  readonly emptyAnswers: number;
  /** CPU the bench process spent per job (all its threads: HTTP both ends, Nest, TypeORM, signing; PGlite when embedded). */
  readonly processCpuMsPerJob: number;
  readonly sql: QueryMeterReading;
}

interface RunnerPayload {
  readonly id: number;
  readonly variables: { key: string; value: string; masked: boolean }[];
}

const TOKEN_VARIABLES = ['VAULT_ID_TOKEN', 'AWS_ID_TOKEN'];
const JWT_SHAPE = /^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]{300,}$/;

/**
 * One pipeline of `jobs` pending jobs in one stage, drained by `runners` project runners polling
 * `POST /jobs/request` concurrently, each asking again as soon as it has a job, until it hears 204.
 * Afterwards every job must have been handed out exactly once, and each ID token issued once.
 */
export async function runPickupScenario(api: ApiClient, fixtures: Fixtures, owner: BenchUser, meter: QueryMeter, options: PickupOptions): Promise<PickupResult> {
  const projectId = await fixtures.project(owner, options.name, pickupYaml(options.jobs, options.idTokens));
  const runnerTokens = await fixtures.runners(owner, projectId, options.runners);
  const pipelineId = await fixtures.pipeline(owner, projectId);

  const latencies: number[] = [];
  const handedOut: number[] = [];
  let emptyAnswers = 0;
  const poll = async (token: string) => {
    // Bounded: a runner can never need more requests than there are jobs, plus its final 204.
    for (let request = 0; request <= options.jobs; request++) {
      const start = performance.now();
      const response = await api.send('POST', '/api/v4/jobs/request', { body: { token, info: { name: 'lanyard-bench', version: '17.0.0' } } });
      const elapsed = performance.now() - start;
      if (response.status === 204) {
        emptyAnswers += 1;
        return;
      }
      if (response.status !== 201) throw new Error(`${options.name}: jobs/request answered ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
      latencies.push(elapsed);
      const payload = response.body as RunnerPayload;
      if (options.idTokens) checkIdTokens(options.name, payload);
      handedOut.push(payload.id);
    }
    throw new Error(`${options.name}: a runner received more jobs than the pipeline has`);
  };

  meter.start();
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  await Promise.all(runnerTokens.map(poll));
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  const sql = meter.stop(options.jobs);

  await verifyExactlyOnce(api, fixtures, owner, { ...options, projectId, pipelineId, runnerTokens, handedOut });
  return {
    name: options.name,
    jobs: options.jobs,
    runners: options.runners,
    idTokensPerJob: options.idTokens ? TOKEN_VARIABLES.length : 0,
    latencyMs: summarize(latencies),
    jobsPerSecond: round((options.jobs / wallMs) * 1000, 1),
    wallMs: round(wallMs, 0),
    emptyAnswers,
    processCpuMsPerJob: round((cpu.user + cpu.system) / 1000 / options.jobs),
    sql,
  };
}

function checkIdTokens(scenario: string, payload: RunnerPayload): void {
  for (const key of TOKEN_VARIABLES) {
    const variable = payload.variables.find((candidate) => candidate.key === key);
    if (!variable || !variable.masked || !JWT_SHAPE.test(variable.value)) {
      throw new Error(`${scenario}: job ${payload.id} came without a signed ${key}`);
    }
  }
}

async function verifyExactlyOnce(
  api: ApiClient,
  fixtures: Fixtures,
  owner: BenchUser,
  run: PickupOptions & { projectId: number; pipelineId: number; runnerTokens: string[]; handedOut: number[] },
): Promise<void> {
  const problems: string[] = [];
  const distinct = new Set(run.handedOut);
  if (distinct.size !== run.handedOut.length) problems.push(`${run.handedOut.length - distinct.size} jobs were handed out more than once`);
  const jobs = await fixtures.pipelineJobs(owner, run.projectId, run.pipelineId);
  if (jobs.length !== run.jobs) problems.push(`the pipeline has ${jobs.length} jobs, expected ${run.jobs}`);
  const missing = jobs.filter((job) => !distinct.has(job.id));
  if (missing.length) problems.push(`${missing.length} jobs were never handed out (e.g. ${missing[0].id}, ${missing[0].status})`);
  const pipelineJobIds = new Set(jobs.map((job) => job.id));
  const foreign = [...distinct].filter((id) => !pipelineJobIds.has(id));
  if (foreign.length) problems.push(`${foreign.length} handed-out jobs are not in the pipeline`);
  const notRunning = jobs.filter((job) => job.status !== 'running');
  if (notRunning.length) problems.push(`${notRunning.length} jobs are not running (e.g. ${notRunning[0].id}: ${notRunning[0].status})`);
  const after = await api.send('POST', '/api/v4/jobs/request', { body: { token: run.runnerTokens[0] } });
  if (after.status !== 204) problems.push(`a request after the drain answered ${after.status}, expected 204`);
  if (run.idTokens) {
    const issued = await fixtures.issuanceCount(owner, run.projectId);
    if (issued !== run.jobs * TOKEN_VARIABLES.length) problems.push(`${issued} ID token issuances recorded, expected ${run.jobs * TOKEN_VARIABLES.length}`);
  }
  if (problems.length) throw new Error(`${run.name}: jobs were not handed out exactly once:\n  - ${problems.join('\n  - ')}`);
}
