import { crc32 } from 'node:zlib';
import { TestApp } from './test-app';

/**
 * Requests as gitlab-runner 17/18 sends them (network/gitlab.go, network/trace.go), for tests that replay a runner:
 * `PatchTrace`, and `UpdateJob` as `touchJob` (still running) and `sendUpdate` (the final state) build it.
 */
export const RUNNER_INFO = {
  name: 'gitlab-runner',
  version: '18.0.0',
  revision: 'abcdef12',
  platform: 'linux',
  architecture: 'amd64',
  executor: 'docker',
  shell: 'bash',
  features: {
    variables: true,
    image: true,
    services: true,
    artifacts: true,
    cache: true,
    trace_reset: true,
    trace_checksum: true,
    trace_size: true,
    cancel_gracefully: true,
  },
  config: { gpus: '' },
};

const USER_AGENT = 'gitlab-runner 18.0.0 (18-0-stable; go1.23.6; linux/amd64)';

/** `PATCH /api/v4/jobs/:id/trace?debug_trace=false`: JOB-TOKEN, Content-Range `<start>-<end − 1>`, text/plain. */
export function patchTrace(api: TestApp, job: { id: number; token: string }, start: number, content: Buffer | string) {
  const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
  return api.http
    .patch(`/api/v4/jobs/${job.id}/trace?debug_trace=false`)
    .set('User-Agent', USER_AGENT)
    .set('JOB-TOKEN', job.token)
    .set('Content-Range', `${start}-${start + bytes.length - 1}`)
    .set('Content-Type', 'text/plain')
    .send(bytes);
}

/** The runner's log state: `crc32:<hex>` of the bytes it wrote and their count. */
export function traceOutput(log: Buffer | string) {
  const bytes = Buffer.isBuffer(log) ? log : Buffer.from(log, 'utf8');
  return { checksum: `crc32:${crc32(bytes).toString(16).padStart(8, '0')}`, bytesize: bytes.length };
}

/** `PUT /api/v4/jobs/:id` with JOB-TOKEN and the body `UpdateJobRequest` marshals (empty fields omitted). */
export function updateJob(
  api: TestApp,
  job: { id: number; token: string },
  update: { state: 'running' | 'success' | 'failed'; log: Buffer | string; failureReason?: string; exitCode?: number },
) {
  const output = traceOutput(update.log);
  const body = {
    info: RUNNER_INFO,
    token: job.token,
    state: update.state,
    ...(update.failureReason ? { failure_reason: update.failureReason } : {}),
    checksum: output.checksum,
    output,
    ...(update.exitCode ? { exit_code: update.exitCode } : {}),
  };
  return api.http.put(`/api/v4/jobs/${job.id}`).set('User-Agent', USER_AGENT).set('JOB-TOKEN', job.token).send(body);
}
