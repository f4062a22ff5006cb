import type { BenchUser, Fixtures } from '../support/api-client';
import { pickupYaml } from '../support/ci-yaml';
import type { HttpClient } from '../support/http';
import type { ServerProcess } from '../support/server-process';
import { checkExactlyOnce, drainQueue } from './pickup';

const JOBS_PER_PIPELINE = 1000;

export interface MemoryResult {
  readonly pickups: number;
  readonly rssBeforeMb: number;
  readonly rssAfterMb: number;
  readonly rssGrowthPct: number;
}

/**
 * The server's resident memory, after a full GC, before and after `pickups` more pickups (pipelines of 1,000 2-token
 * jobs drained by the same runners, each checked exactly-once). Run after the pickup scenario and one unmeasured
 * pipeline of its own, so JIT code, pools, caches and the heap's size are already warm in the "before" figure.
 */
export async function runMemory(
  client: HttpClient,
  server: ServerProcess,
  fixtures: Fixtures,
  owner: BenchUser,
  runners: number,
  pickups: number,
): Promise<MemoryResult> {
  const projectId = await fixtures.project(owner, 'memory', pickupYaml(JOBS_PER_PIPELINE));
  const runnerTokens = await fixtures.runners(owner, { projectId }, runners);
  const drainOnePipeline = async () => {
    const pipelineId = await fixtures.pipeline(owner, projectId);
    const drain = await drainQueue(client, runnerTokens, JOBS_PER_PIPELINE, JOBS_PER_PIPELINE);
    await checkExactlyOnce(server, 'memory', [pipelineId], drain);
  };
  // One unmeasured pipeline first: the heap then has the shape of this workload, not of the lint or JWKS load before.
  await drainOnePipeline();
  const before = await server.rss();
  for (let done = 0; done < pickups; done += JOBS_PER_PIPELINE) await drainOnePipeline();
  const after = await server.rss();
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  return {
    pickups: Math.ceil(pickups / JOBS_PER_PIPELINE) * JOBS_PER_PIPELINE,
    rssBeforeMb: mb(before),
    rssAfterMb: mb(after),
    rssGrowthPct: Math.round(((after - before) / before) * 1000) / 10,
  };
}
