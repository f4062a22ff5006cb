import { client, resources } from './resources';
import { commitFile } from './repository-fixtures';
import { TestApp, TestUser, createUser } from './test-app';

/** The four pipelines a realistic file is tried in, each as a list of `[job name, status]`, sorted by name. */
export interface PipelinesBySource {
  readonly featurePush: string[][] | null;
  readonly mainPush: string[][] | null;
  readonly tag: string[][] | null;
  readonly mergeRequest: string[][] | null;
  /** Lint's `dry_run` for `main` and `feature`, asked right after each push: the job names, or its errors. */
  readonly dryRun: { readonly main: string[]; readonly feature: string[] };
}

/**
 * A project whose maintainer commits `.gitlab-ci.yml` to its protected `main` (a push pipeline), a push to an
 * unprotected `feature` branch, a tag `v1.2.0` created from `main` (a tag push pipeline), then a merge request from
 * `feature` and its pipeline. `null`: no pipeline was created for that source. `setup` runs before the first push.
 */
export async function pipelinesBySource(
  api: TestApp,
  ci: string,
  setup: (as: ReturnType<typeof client>, base: string) => Promise<void> = async () => undefined,
): Promise<PipelinesBySource> {
  const owner = await createUser(api, 'realistic');
  const project = await resources(api).project(owner);
  const as = client(api, owner);
  const base = `/projects/${project.id}`;
  const lint = await as.post(`${base}/ci/lint`, { content: ci, include_jobs: true }).expect(200);
  if (!lint.body.valid) throw new Error(`lint: ${JSON.stringify(lint.body.errors)}`);
  await setup(as, base);

  await commitFile(api, owner, project.id, '.gitlab-ci.yml', ci);
  const mainPush = await newPipeline(api, owner, project.id, []);
  const dryRunMain = await dryRun(as, base, ci, 'main');
  await commitFile(api, owner, project.id, 'feature.txt', 'x', 'feature', { start_branch: 'main' });
  const featurePush = await newPipeline(api, owner, project.id, [mainPush]);
  const dryRunFeature = await dryRun(as, base, ci, 'feature');
  await as.post(`${base}/repository/tags`, { tag_name: 'v1.2.0', ref: 'main' }).expect(201);
  const tag = await newPipeline(api, owner, project.id, [mainPush, featurePush]);
  const mr = await as.post(`${base}/merge_requests`, { source_branch: 'feature', target_branch: 'main', title: 'Feature' }).expect(201);
  const created = await as.post(`${base}/merge_requests/${mr.body.iid}/pipelines`);
  const mergeRequest = created.status === 200 || created.status === 201 ? created.body.id : null;
  return {
    featurePush: await jobsOf(api, owner, project.id, featurePush),
    mainPush: await jobsOf(api, owner, project.id, mainPush),
    tag: await jobsOf(api, owner, project.id, tag),
    mergeRequest: await jobsOf(api, owner, project.id, mergeRequest),
    dryRun: { main: dryRunMain, feature: dryRunFeature },
  };
}

export async function dryRun(as: ReturnType<typeof client>, base: string, ci: string, ref: string): Promise<string[]> {
  const { body } = await as.post(`${base}/ci/lint`, { content: ci, dry_run: true, ref }).expect(200);
  return body.valid ? body.jobs.map((job: { name: string }) => job.name).sort() : body.errors;
}

/** The id of the newest pipeline, if it is not one of `known`. */
export async function newPipeline(api: TestApp, who: TestUser, projectId: number, known: (number | null)[]): Promise<number | null> {
  const [newest] = (await client(api, who).get(`/projects/${projectId}/pipelines`).expect(200)).body;
  return newest && !known.includes(newest.id) ? newest.id : null;
}

export async function jobsOf(api: TestApp, who: TestUser, projectId: number, pipelineId: number | null): Promise<string[][] | null> {
  if (pipelineId === null) return null;
  const jobs = (await client(api, who).get(`/projects/${projectId}/pipelines/${pipelineId}/jobs?per_page=100`).expect(200)).body;
  return jobs
    .map((job: { name: string; status: string }) => [job.name, job.status])
    .sort(([a]: string[], [b]: string[]) => a.localeCompare(b));
}
