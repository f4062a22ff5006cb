import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startListeningTestApp } from './support/listening-app';
import { TestApp, uniqueName } from './support/test-app';

/** Debian's python3-gitlab lives in the system interpreter, not in whatever python3 is first on PATH. */
const SYSTEM_PYTHON = '/usr/bin/python3';

describe('python-gitlab compatibility: runner administration (issue 18, item 7)', () => {
  let api: TestApp & { readonly baseUrl: string };

  beforeAll(async () => {
    api = await startListeningTestApp();
  });

  afterAll(() => api.close());

  it("lists, updates, resets and deletes runners through python-gitlab's managers, and a developer cannot", async () => {
    const suffix = uniqueName('py').toLowerCase();
    const script = join(__dirname, 'compat', 'python_gitlab_runners.py');
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      // Async spawn: the server under test runs in this process and must keep answering.
      const child = spawn(SYSTEM_PYTHON, [script, api.baseUrl, api.rootToken, suffix], { timeout: 60_000 });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({
      own: true,
      own_group_type: ['group_type'],
      dev_own: [],
      all_has_both: true,
      project: ['project_type'],
      group: ['group_type'],
      dev_all: 403,
      dev_delete: 403,
      dev_reset: 403,
      updated: [true, ['linux', 'arm'], 'py'],
      reset_new_token: true,
      old_token: 403,
      after_delete: 404,
    });
  });
});
