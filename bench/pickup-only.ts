import { checkExactlyOnce, drainQueue, verifySampledTokens } from './scenarios/pickup';
import { runReferencePickup } from './scenarios/reference-pickup';
import { ApiClient, Fixtures } from './support/api-client';
import { pickupYaml } from './support/ci-yaml';
import { CpuMeter } from './support/cpu-meter';
import { HttpClient } from './support/http';
import { cpuPerPickupNote, serverBackendPids } from './support/run-support';
import type { ServerProcess } from './support/server-process';
import { round, summarize } from './support/stats';

export interface PickupOnlySettings {
  readonly runners: number;
  readonly jobs: number;
  readonly warmupJobs: number;
  readonly sampleEvery: number;
}

/**
 * `BENCH_ONLY=pickup`: the pickup drain and the reference server's, back to back, and nothing else (about a minute),
 * for working on the pickup. The same drains, checks and CPU meter as the full run; printed, not written to a file.
 */
export async function pickupOnly(
  server: ServerProcess,
  databaseUrl: string,
  baseUrl: string,
  rootToken: string,
  settings: PickupOnlySettings,
  progress: (message: string) => void,
): Promise<void> {
  const fixtures = new Fixtures(new ApiClient(baseUrl), rootToken);
  const client = new HttpClient(baseUrl, 64);
  const owner = await fixtures.user('bench');
  const project = async (name: string, jobs: number) => {
    const projectId = await fixtures.project(owner, name, pickupYaml(jobs));
    const runnerTokens = await fixtures.runners(owner, { projectId }, settings.runners);
    return { runnerTokens, pipelineId: await fixtures.pipeline(owner, projectId) };
  };
  const warm = await project('warmup', settings.warmupJobs);
  await drainQueue(client, warm.runnerTokens, settings.warmupJobs, settings.warmupJobs);
  const main = await project('pickup', settings.jobs);
  progress(`pickup: ${settings.runners} runners drain ${settings.jobs} jobs`);
  const cpu = CpuMeter.available() ? new CpuMeter(server.pid, await serverBackendPids(server)) : null;
  await server.meterStart();
  cpu?.start();
  const drain = await drainQueue(client, main.runnerTokens, settings.jobs, settings.sampleEvery);
  const reading = cpu?.stop();
  const sql = await server.meterStop(drain.jobs);
  await checkExactlyOnce(server, 'pickup', [main.pipelineId], drain);
  await verifySampledTokens(client, baseUrl, drain);
  client.close();
  progress('reference pickup server: the same drain');
  const reference = await runReferencePickup(server, databaseUrl || undefined, settings);
  const jobsPerSecond = (drain.jobs / drain.wallMs) * 1000;
  const p99 = summarize(drain.latenciesMs).p99;
  const lines = [`pickup: ${round(jobsPerSecond, 1)} jobs/s, p99 ${round(p99, 1)} ms, ${sql.queriesPerOp} SQL round trips per job`];
  if (reading) lines.push(cpuPerPickupNote(reading, drain.jobs, drain.wallMs, !databaseUrl));
  if (reference.value) {
    const { drain: ref, cpu: refCpu } = reference.value;
    const refJobsPerSecond = (ref.jobs / ref.wallMs) * 1000;
    const refP99 = summarize(ref.latenciesMs).p99;
    lines.push(`reference: ${round(refJobsPerSecond, 1)} jobs/s, p99 ${round(refP99, 1)} ms`);
    if (refCpu) lines.push(`reference ${cpuPerPickupNote(refCpu, ref.jobs, ref.wallMs, false)}`);
    lines.push(`ratio ${round(jobsPerSecond / refJobsPerSecond, 2)} (goal ≥ 0.7), p99 ratio ${round(p99 / refP99, 2)} (goal ≤ 2)`);
  } else lines.push(reference.note ?? 'no reference');
  process.stdout.write(lines.join('\n') + '\n');
}
