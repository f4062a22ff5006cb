import { DataSource } from 'typeorm';
import { client } from './resources';
import { TestApp, TestUser } from './test-app';
import { requestJob } from './ci-fixtures';

export interface RunnerVariable {
  readonly key: string;
  readonly value: string;
  readonly public: boolean;
  readonly masked: boolean;
  readonly file?: boolean;
}

export interface JobPayload {
  readonly id: number;
  readonly token: string;
  readonly job_info: { id: number; name: string; project_id: number; pipeline_id: number };
  readonly variables: RunnerVariable[];
  readonly [field: string]: unknown;
}

export type RunnerScope =
  { runner_type: 'instance_type' } | { runner_type: 'group_type'; group_id: number } | { runner_type: 'project_type'; project_id: number };

/** A runner made through `POST /user/runners`, with any other attributes in `extra` (`maximum_timeout`, …). */
export async function createRunner(
  api: TestApp,
  who: TestUser | string,
  scope: RunnerScope,
  extra: object = {},
): Promise<{ id: number; token: string }> {
  const response = await client(api, who).post('/user/runners', { ...scope, ...extra });
  if (response.status !== 201) throw new Error(`creating a runner: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** `POST /projects/:id/pipeline`, expecting it to be created. */
export async function runPipeline(
  api: TestApp,
  who: TestUser,
  projectId: number,
  ref = 'main',
  variables?: object[],
): Promise<{ id: number; status: string }> {
  const response = await client(api, who).post(`/projects/${projectId}/pipeline`, { ref, ...(variables ? { variables } : {}) });
  if (response.status !== 201) throw new Error(`creating a pipeline: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Asks for a job and expects one. */
export async function takeJob(api: TestApp, runnerToken: string): Promise<JobPayload> {
  const response = await requestJob(api, runnerToken);
  if (response.status !== 201) throw new Error(`requesting a job: expected 201, got ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/** A job's row as stored, for what the API does not show (token digest, runner id of a pending job). */
export async function buildRow(
  api: TestApp,
  buildId: number,
): Promise<{ status: string; runner_id: number | null; token_digest: string | null; failure_reason: string | null }> {
  const [row] = await api.app
    .get(DataSource)
    .query('SELECT status, runner_id, token_digest, failure_reason FROM ci_builds WHERE id = $1', [buildId]);
  return row;
}

export function variableMap(payload: JobPayload): Map<string, RunnerVariable> {
  return new Map(payload.variables.map((variable) => [variable.key, variable]));
}
