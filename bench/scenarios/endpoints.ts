import { ApiClient, BenchUser, Fixtures } from '../support/api-client';
import { largeLintYaml, pipelineYaml } from '../support/ci-yaml';
import { QueryMeter, QueryMeterReading } from '../support/query-meter';
import { LatencySummary, round, summarize, timeSequential } from '../support/stats';

export interface EndpointResult {
  readonly name: string;
  readonly requests: number;
  readonly warmup: number;
  readonly latencyMs: LatencySummary;
  readonly requestsPerSecond: number;
  readonly processCpuMsPerRequest: number;
  readonly sql: QueryMeterReading;
  readonly [detail: string]: unknown;
}

async function measure(name: string, meter: QueryMeter, requests: number, warmup: number, fn: (index: number) => Promise<void>, details: object = {}): Promise<EndpointResult> {
  await timeSequential(warmup, fn);
  meter.start();
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const samples = await timeSequential(requests, (index) => fn(warmup + index));
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  const sql = meter.stop(requests);
  const processCpuMsPerRequest = round((cpu.user + cpu.system) / 1000 / requests);
  return { name, requests, warmup, latencyMs: summarize(samples), requestsPerSecond: round((requests / wallMs) * 1000, 1), processCpuMsPerRequest, sql, ...details };
}

/** `POST /projects/:id/pipeline` on a 50-job `.gitlab-ci.yml`: read the file, lint it, insert the pipeline and jobs. */
export async function runPipelineCreation(api: ApiClient, fixtures: Fixtures, owner: BenchUser, meter: QueryMeter, jobs: number, requests: number): Promise<EndpointResult> {
  const yaml = pipelineYaml(jobs);
  // A project without runners: the created jobs stay pending and never reach the pickup scenarios' runners.
  const projectId = await fixtures.project(owner, 'pipelines', yaml);
  const body = { ref: 'main' };
  const result = await measure(`pipeline creation, ${jobs} jobs`, meter, requests, 3, async () => {
    await api.expect(201, 'POST', `/api/v4/projects/${projectId}/pipeline`, { token: owner.token, body });
  }, { jobsPerPipeline: jobs, configBytes: Buffer.byteLength(yaml) });
  const created = await fixtures.pipelineJobs(owner, projectId, (await latestPipeline(api, owner, projectId)).id);
  if (created.length !== jobs) throw new Error(`pipeline creation: the last pipeline has ${created.length} jobs, expected ${jobs}`);
  return result;
}

async function latestPipeline(api: ApiClient, owner: BenchUser, projectId: number): Promise<{ id: number }> {
  const pipelines = await api.expect<{ id: number }[]>(200, 'GET', `/api/v4/projects/${projectId}/pipelines?per_page=1`, { token: owner.token });
  return pipelines[0];
}

/** `POST /projects/:id/ci/lint` with a ~100 KB configuration (parse, extends, validation; one settings read). */
export async function runLint(api: ApiClient, fixtures: Fixtures, owner: BenchUser, meter: QueryMeter, minBytes: number, requests: number): Promise<EndpointResult> {
  const content = largeLintYaml(minBytes);
  const projectId = await fixtures.project(owner, 'lint', 'lint:\n  script: echo\n');
  let jobCount = 0;
  const result = await measure('lint, ~100 KB config', meter, requests, 3, async () => {
    const answer = await api.expect<{ valid: boolean; errors: string[]; jobs: unknown[] }>(200, 'POST', `/api/v4/projects/${projectId}/ci/lint`, {
      token: owner.token,
      body: { content },
    });
    if (!answer.valid) throw new Error(`lint: the bench's configuration is invalid: ${answer.errors.slice(0, 3).join('; ')}`);
    jobCount = answer.jobs.length;
  });
  return { ...result, configBytes: Buffer.byteLength(content), jobsInConfig: jobCount };
}

/** `GET /oauth/discovery/keys`, answered from the in-memory key store: the HTTP stack's floor. */
export async function runJwks(api: ApiClient, meter: QueryMeter, requests: number): Promise<EndpointResult> {
  return measure('JWKS', meter, requests, 50, async () => {
    const answer = await api.expect<{ keys: { kid: string }[] }>(200, 'GET', '/oauth/discovery/keys');
    if (answer.keys.length === 0) throw new Error('JWKS: no keys published');
  });
}
