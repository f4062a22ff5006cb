import { ApiClient, Fixtures, type BenchUser } from '../../support/api-client';
import { pickupYaml } from '../../support/ci-yaml';

/** Pipelines are made of at most this many jobs; a drill asking for more gets several. */
const JOBS_PER_PIPELINE = 1000;

export interface Workload {
  readonly api: ApiClient;
  readonly owner: BenchUser;
  readonly projectId: number;
  readonly runnerTokens: readonly string[];
  readonly pipelineIds: number[];
  readonly jobsPerPipeline: number;
  /** Queues `jobs` more 2-token jobs (whole pipelines); answers the new pipelines' ids. */
  queue(jobs: number): Promise<number[]>;
}

/** A user, one project whose `.gitlab-ci.yml` has 2 ID tokens per job, and `runners` project runners, made over HTTP. */
export async function prepareWorkload(
  baseUrl: string,
  rootToken: string,
  runners: number,
  jobsPerPipeline = JOBS_PER_PIPELINE,
): Promise<Workload> {
  const api = new ApiClient(baseUrl);
  const fixtures = new Fixtures(api, rootToken);
  const owner = await fixtures.user('drill');
  const projectId = await fixtures.project(owner, 'drill', pickupYaml(jobsPerPipeline));
  const runnerTokens = await fixtures.runners(owner, { projectId }, runners);
  const pipelineIds: number[] = [];
  return {
    api,
    owner,
    projectId,
    runnerTokens,
    pipelineIds,
    jobsPerPipeline,
    async queue(jobs: number) {
      const created: number[] = [];
      for (let queued = 0; queued < jobs; queued += jobsPerPipeline) created.push(await fixtures.pipeline(owner, projectId));
      pipelineIds.push(...created);
      return created;
    },
  };
}
