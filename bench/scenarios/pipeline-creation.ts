import { parse } from 'yaml';
import type { ApiClient, BenchUser, Fixtures } from '../support/api-client';
import { creationFiles, creationJobsOnDefaultBranch } from '../support/ci-yaml';
import { summarize } from '../support/stats';

export interface PipelineCreationResult {
  /** Jobs in the file, and jobs a default-branch pipeline creates. */
  readonly fileJobs: number;
  readonly createdJobs: number;
  readonly bytes: number;
  /** Median `POST /projects/:id/pipeline`, whole request over HTTP. */
  readonly ms: number;
  /** Median time to parse the same YAML text (every file) with the `yaml` package, in this process. */
  readonly parseMs: number;
}

/**
 * `POST /projects/:id/pipeline` for a file with `workflow`, `include: local`, `extends`, `rules` and `needs`
 * (issue 16), timed against parsing its text alone: what creation adds on top of reading YAML.
 */
export async function runPipelineCreation(
  api: ApiClient,
  fixtures: Fixtures,
  owner: BenchUser,
  components: number,
  requests: number,
): Promise<PipelineCreationResult> {
  const files = creationFiles(components);
  const projectId = await fixtures.projectWithFiles(owner, 'creation', files);
  const expected = creationJobsOnDefaultBranch(components);
  const samples: number[] = [];
  for (let index = -1; index < requests; index++) {
    const start = performance.now();
    const pipeline = await api.expect<{ id: number }>(201, 'POST', `/api/v4/projects/${projectId}/pipeline`, {
      token: owner.token,
      body: { ref: 'main' },
    });
    const elapsed = performance.now() - start;
    if (index >= 0) samples.push(elapsed);
    const jobs = await api.send('GET', `/api/v4/projects/${projectId}/pipelines/${pipeline.id}/jobs?per_page=1`, { token: owner.token });
    const created = Number(jobs.headers.get('x-total'));
    if (created !== expected) throw new Error(`pipeline creation: ${created} jobs created, expected ${expected}`);
  }
  const texts = Object.values(files);
  const parses: number[] = [];
  for (let index = -1; index < requests; index++) {
    const start = performance.now();
    for (const text of texts) parse(text);
    if (index >= 0) parses.push(performance.now() - start);
  }
  return {
    fileJobs: components * 3 + 1,
    createdJobs: expected,
    bytes: texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0),
    ms: summarize(samples).p50,
    parseMs: summarize(parses).p50,
  };
}
