import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ServiceProcess, freePort, spawnService, waitUntilReady } from './support/service-process';

const ROOT = resolve(__dirname, '../../..');
const ROOT_TOKEN = 'glpat-readme-walkthrough-root-0001';

function runWalkthrough(baseUrl: string): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn('bash', [join(ROOT, 'tools/walkthrough.sh'), baseUrl, ROOT_TOKEN], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('close', (code) => done({ code, output }));
  });
}

/**
 * Issue 18 item 17: the README's "ID tokens, step by step", followed literally by tools/walkthrough.sh against the
 * service started as an operator starts it (its own process, the embedded database), so the text cannot drift from
 * what Lanyard does. The same process then shows the log line of a job dropped for its configuration.
 */
describe('README: ID tokens, step by step', () => {
  let dir: string;
  let service: ServiceProcess;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lanyard-walkthrough-'));
    const port = await freePort();
    service = spawnService({ PORT: String(port), LANYARD_DATA_DIR: join(dir, 'data'), LANYARD_ROOT_TOKEN: ROOT_TOKEN }, dir, port);
    await waitUntilReady(service);
  }, 120_000);

  afterAll(async () => {
    if (service.child.exitCode === null) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${service.baseUrl}/api/v4${path}`, {
      method,
      headers: { 'PRIVATE-TOKEN': ROOT_TOKEN, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: response.status === 204 ? undefined : ((await response.json()) as Record<string, unknown>) };
  };

  it("runs as written: the Vault role's bound claims, audience and the verified signature hold", async () => {
    const run = await runWalkthrough(service.baseUrl);
    expect({ code: run.code, output: run.output }).toEqual({ code: 0, output: expect.stringContaining('walkthrough: ok') });
    expect(run.output).toContain("the README's .gitlab-ci.yml lints without errors or warnings");
    expect(run.output).toContain('bound claims and audience of the Vault role app-production: satisfied');
    expect(run.output).toMatch(/signature \(kid [\w-]+\), issuer http:\/\/localhost:\d+ and audience: verified/);
  }, 120_000);

  it('logs a job dropped for its configuration (no VAULT_SERVER_URL) at warn, with the job and the reason', async () => {
    const project = await api('GET', `/projects/${encodeURIComponent('acme/platform/app')}`);
    expect(project.status).toBe(200);
    const projectId = project.body!.id as number;
    expect((await api('DELETE', `/projects/${projectId}/variables/VAULT_SERVER_URL`)).status).toBe(204);
    const runner = await api('POST', '/user/runners', { runner_type: 'project_type', project_id: projectId });
    const pipeline = await api('POST', `/projects/${projectId}/pipeline`, { ref: 'main' });
    expect(pipeline.status).toBe(201);
    const jobs = await api('GET', `/projects/${projectId}/pipelines/${pipeline.body!.id as number}/jobs`);
    const jobId = (jobs.body as unknown as { id: number }[])[0].id;

    const request = await fetch(`${service.baseUrl}/api/v4/jobs/request`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: runner.body!.token }),
    });
    expect(request.status).toBe(204);
    const job = await api('GET', `/projects/${projectId}/jobs/${jobId}`);
    expect(job.body).toMatchObject({ status: 'failed', failure_reason: 'secrets_provider_not_found' });
    expect(service.logged().filter((line) => line.msg === 'job dropped at pickup')).toEqual([
      expect.objectContaining({
        level: 'warn',
        context: 'Pickup',
        jobId,
        failureReason: 'secrets_provider_not_found',
        detail: 'the job has secrets but no VAULT_SERVER_URL variable',
      }),
    ]);
  });
});
