import { spawn, spawnSync } from 'node:child_process';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { TestApp, startTestApp, uniqueName } from './support/test-app';

/** Debian's python3-gitlab lives in the system interpreter, not in whatever python3 is first on PATH. */
const SYSTEM_PYTHON = '/usr/bin/python3';

describe('python-gitlab compatibility', () => {
  let api: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    // The external URL must be where the client reaches us: python-gitlab warns when they differ, as it should.
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    api = await startTestApp({ LANYARD_EXTERNAL_URL: baseUrl });
    await api.app.listen(port, '127.0.0.1');
  });

  afterAll(() => api.close());

  it('drives groups, subgroups, projects, members, files, branches and protection unmodified', async () => {
    const suffix = uniqueName('py').toLowerCase();
    const script = join(__dirname, 'compat', 'python_gitlab_flow.py');
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      // Async spawn: the server under test runs in this process and must keep answering.
      const child = spawn(SYSTEM_PYTHON, [script, baseUrl, api.rootToken, suffix], { timeout: 60_000 });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const result = JSON.parse(run.stdout);
    expect(result).toEqual({
      group: `compat-${suffix}`,
      subgroup: `compat-${suffix}/platform`,
      project: `compat-${suffix}/platform/service`,
      default_branch: 'main',
      group_members: [`dev-${suffix}`, 'root'].sort(),
      project_members: [[`rep-${suffix}`, 20]],
      branches: ['feature/x', 'main'],
      protected_branches: ['main'],
      commit_sha: expect.stringMatching(/^[0-9a-f]{40}$/),
      groups_listed: [`compat-${suffix}`, `compat-${suffix}/platform`],
    });
  });

  it('finds python-gitlab in the system interpreter (install: apt-get install python3-gitlab)', () => {
    const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import gitlab; print(gitlab.__version__)'], { encoding: 'utf8' });
    expect(probe.stderr).toBe('');
    expect(probe.stdout.trim()).toMatch(/^\d+\.\d+/);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
