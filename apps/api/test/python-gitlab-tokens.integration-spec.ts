import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startListeningTestApp } from './support/listening-app';
import { TestApp, uniqueName } from './support/test-app';

/** Debian's python3-gitlab lives in the system interpreter, not in whatever python3 is first on PATH. */
const SYSTEM_PYTHON = '/usr/bin/python3';

describe('python-gitlab compatibility: tokens, metadata and inherited members', () => {
  let api: TestApp & { readonly baseUrl: string };

  beforeAll(async () => {
    api = await startListeningTestApp();
  });

  afterAll(() => api.close());

  it('lists, revokes and rotates tokens, reads the version and lists inherited members unmodified', async () => {
    const suffix = uniqueName('py').toLowerCase();
    const script = join(__dirname, 'compat', 'python_gitlab_tokens.py');
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
      version: ['18.0.0', expect.stringMatching(/^lanyard-/)],
      own: ['alice-main', 'alice-spare'],
      admin_user_filter: ['alice-main', 'alice-spare'],
      attack_delete: 400,
      attack_rotate: 401,
      attack_left_tokens_working: true,
      self: [true, 'alice-main', true, false],
      rotated: ['alice-main', true, true],
      old_works: false,
      new_works: true,
      spare_after_delete: false,
      project_members_all: [
        ['alice', 40],
        ['mallory', 20],
        ['root', 50],
      ],
      project_member_all_get: 40,
      subgroup_members_all: [
        ['alice', 30],
        ['mallory', 20],
        ['root', 50],
      ],
    });
  });
});
