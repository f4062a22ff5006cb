import type { ApiClient, BenchUser, Fixtures } from '../support/api-client';
import { lintYaml } from '../support/ci-yaml';
import { summarize } from '../support/stats';

export interface LintResult {
  readonly jobs: number;
  readonly bytes: number;
  /** Median of the timed requests, whole request over HTTP. */
  readonly p50Ms: number;
  readonly requests: number;
}

/** `POST /projects/:id/ci/lint` of a `jobs`-job file with `extends` and 2 ID tokens per job; it must be valid. */
export async function runLint(api: ApiClient, fixtures: Fixtures, owner: BenchUser, jobs: number, requests: number): Promise<LintResult> {
  const content = lintYaml(jobs);
  const projectId = await fixtures.project(owner, 'lint', 'lint:\n  script: echo\n');
  const samples: number[] = [];
  for (let index = -2; index < requests; index++) {
    const start = performance.now();
    const answer = await api.expect<{ valid: boolean; errors: string[]; jobs: unknown[] }>(
      200,
      'POST',
      `/api/v4/projects/${projectId}/ci/lint`,
      {
        token: owner.token,
        body: { content, include_jobs: true },
      },
    );
    const elapsed = performance.now() - start;
    if (!answer.valid) throw new Error(`lint: the bench's configuration is invalid: ${answer.errors.slice(0, 3).join('; ')}`);
    if (answer.jobs.length !== jobs) throw new Error(`lint: ${answer.jobs.length} jobs in the answer, expected ${jobs}`);
    if (index >= 0) samples.push(elapsed);
  }
  return { jobs, bytes: Buffer.byteLength(content), p50Ms: summarize(samples).p50, requests };
}
