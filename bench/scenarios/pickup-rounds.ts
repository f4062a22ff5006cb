import type { BenchUser, Fixtures } from '../support/api-client';
import { pickupYaml } from '../support/ci-yaml';
import { CpuMeter, type CpuReading } from '../support/cpu-meter';
import type { HttpClient } from '../support/http';
import type { QueryMeterReading } from '../support/query-meter';
import { cpuPerPickupNote, serverBackendPids } from '../support/run-support';
import type { ServerProcess } from '../support/server-process';
import { summarize } from '../support/stats';
import { type Drain, checkExactlyOnce, drainQueue, verifySampledTokens } from './pickup';
import { ReferencePickup, type ReferenceDrain } from './reference-pickup';

export interface PickupRoundSettings {
  readonly runners: number;
  readonly jobs: number;
  readonly warmupJobs: number;
  readonly sampleEvery: number;
  readonly rounds: number;
}

/** One drain of the application's queue, then one of the reference server's, back to back. */
export interface PickupRound {
  readonly drain: Drain;
  readonly cpu: CpuReading | null;
  readonly sql: QueryMeterReading;
  readonly verified: number;
  readonly reference: ReferenceDrain | null;
}

export interface PickupRounds {
  readonly rounds: readonly PickupRound[];
  /** The round whose jobs/s ratio to the reference is the median (without a reference: whose jobs/s is). */
  readonly median: PickupRound;
  readonly referenceNote?: string;
}

export const jobsPerSecond = (drain: Drain) => (drain.jobs / drain.wallMs) * 1000;

/** The application's jobs/s over the reference's in the same round; its own jobs/s when there is no reference. */
export const roundRatio = (round: PickupRound) => jobsPerSecond(round.drain) / (round.reference ? jobsPerSecond(round.reference.drain) : 1);

/**
 * The pickup against the reference server (issue 15), in `rounds` alternating pairs of drains: this machine's speed
 * drifts by a third within minutes (a neighbour's load), and one pair taken minutes apart measured that drift as
 * much as either server. Each round drains a new pipeline of `jobs` 2-token jobs through `runners` project runners,
 * after one warm-up drain of each server; every round is checked (each job handed out once, running, audited, sampled
 * tokens verified against the served JWKS).
 */
export async function runPickupRounds(
  context: {
    readonly server: ServerProcess;
    readonly client: HttpClient;
    readonly fixtures: Fixtures;
    readonly owner: BenchUser;
    readonly baseUrl: string;
    readonly databaseUrl: string;
  },
  settings: PickupRoundSettings,
  onCleanup: (step: { name: string; run: () => Promise<unknown> }) => void,
  progress: (message: string) => void,
): Promise<PickupRounds> {
  const { server, client, fixtures, owner, baseUrl } = context;
  const project = async (name: string, jobs: number) => {
    const projectId = await fixtures.project(owner, name, pickupYaml(jobs));
    return { projectId, runnerTokens: await fixtures.runners(owner, { projectId }, settings.runners) };
  };
  progress(`warm-up: ${settings.warmupJobs} jobs, ${settings.runners} runners`);
  const warm = await project('warmup', settings.warmupJobs);
  const warmPipeline = await fixtures.pipeline(owner, warm.projectId);
  const warmDrain = await drainQueue(client, warm.runnerTokens, settings.warmupJobs, settings.warmupJobs);
  await checkExactlyOnce(server, 'warm-up', [warmPipeline], warmDrain);
  const reference = await ReferencePickup.start(server, context.databaseUrl || undefined, settings);
  if (reference.value) onCleanup({ name: 'stop the reference pickup server', run: () => reference.value.stop() });
  const rounds: PickupRound[] = [];
  for (let index = 1; index <= settings.rounds; index++) {
    const label = `pickup round ${index}/${settings.rounds}`;
    progress(`${label}: creating a project and a pipeline of ${settings.jobs} 2-token jobs`);
    // Each round as the first: a project of its own, and the queue vacuumed of the rows earlier drains deleted.
    const main = await project('pickup', settings.jobs);
    const pipelineId = await fixtures.pipeline(owner, main.projectId);
    if (context.databaseUrl) await server.sql('VACUUM ANALYZE ci_pending_builds, ci_builds');
    progress(`${label}: ${settings.runners} runners drain ${settings.jobs} jobs, then the reference server the same`);
    const cpu = CpuMeter.available() ? new CpuMeter(server.pid, context.databaseUrl ? await serverBackendPids(server) : []) : null;
    await server.meterStart();
    cpu?.start();
    const drain = await drainQueue(client, main.runnerTokens, settings.jobs, settings.sampleEvery);
    const cpuReading = cpu?.stop() ?? null;
    const sql = await server.meterStop(drain.jobs);
    await checkExactlyOnce(server, label, [pipelineId], drain);
    const verified = await verifySampledTokens(client, baseUrl, drain);
    rounds.push({ drain, cpu: cpuReading, sql, verified, reference: reference.value ? await reference.value.drain(settings.jobs) : null });
  }
  if (reference.value) await reference.value.stop();
  const byRatio = [...rounds].sort((a, b) => roundRatio(a) - roundRatio(b));
  return { rounds, median: byRatio[Math.floor(byRatio.length / 2)], referenceNote: reference.note };
}

/** Each round's ratios, and who used the cores in the median round (the application's, then the reference's). */
export function pickupRoundNotes(pickup: PickupRounds, embedded: boolean): string[] {
  const notes: string[] = [];
  if (pickup.referenceNote) notes.push(pickup.referenceNote);
  const perRound = pickup.rounds.map((round, index) => {
    const own = `${round.drain.jobs} jobs at ${Math.round(jobsPerSecond(round.drain) * 10) / 10} jobs/s, p99 ${summarize(round.drain.latenciesMs).p99} ms`;
    if (!round.reference) return `round ${index + 1}: ${own}`;
    const p99Ratio = summarize(round.drain.latenciesMs).p99 / summarize(round.reference.drain.latenciesMs).p99;
    return `round ${index + 1}: ${own}; ÷ reference ${roundRatio(round).toFixed(2)} jobs/s, ${p99Ratio.toFixed(2)} p99`;
  });
  notes.push(`pickup rounds (the median round's figures are reported): ${perRound.join('; ')}`);
  const { median } = pickup;
  if (median.cpu) notes.push(cpuPerPickupNote(median.cpu, median.drain.jobs, median.drain.wallMs, embedded));
  if (median.reference?.cpu)
    notes.push(`reference ${cpuPerPickupNote(median.reference.cpu, median.reference.drain.jobs, median.reference.drain.wallMs, false)}`);
  return notes;
}
