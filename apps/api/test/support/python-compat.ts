import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** Debian's python3-gitlab and PyJWT live in the system interpreter, not in whatever python3 is first on PATH. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/**
 * Runs `apps/api/test/compat/<name>` with `args`, asynchronously (the server under test runs in this process and must
 * keep answering), and returns the JSON it printed once it exited 0 with nothing on stderr; otherwise it throws with
 * both, so a failing script shows why.
 */
export async function runCompatScript(name: string, args: readonly string[]): Promise<unknown> {
  const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(SYSTEM_PYTHON, [join(__dirname, '..', 'compat', name), ...args], { timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
  if (run.status !== 0 || run.stderr !== '') throw new Error(`${name} exited ${run.status}: ${run.stderr}${run.stdout}`);
  return JSON.parse(run.stdout);
}
