import { spawn } from 'node:child_process';

/** The all-zero object id git uses for "no such ref" as the expected old value of `update-ref`. */
export const ZERO_OID = '0'.repeat(40);

export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args[0]} exited with ${exitCode}: ${stderr.trim().slice(0, 500)}`);
    this.name = 'GitCommandError';
  }
}

export interface GitRunOptions {
  readonly input?: Buffer | string;
  /** Extra GIT_* settings (author, committer, a temporary index); everything else of the environment is fixed here. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * One bare repository, driven through the `git` binary as Gitaly does: fixed argument vectors, no shell, and an
 * environment built from nothing so no user or system configuration, hook or credential of the host applies.
 */
export class GitRepository {
  constructor(readonly path: string) {}

  async run(args: readonly string[], options: GitRunOptions = {}): Promise<Buffer> {
    const { stdout } = await this.exec(args, options);
    return stdout;
  }

  /** Like `run`, but a non-zero exit is an answer (e.g. `cat-file -e` of a missing object), not an error. */
  async test(args: readonly string[], options: GitRunOptions = {}): Promise<boolean> {
    return (await this.exec(args, options, false)).code === 0;
  }

  async text(args: readonly string[], options: GitRunOptions = {}): Promise<string> {
    return (await this.run(args, options)).toString('utf8').trim();
  }

  env(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
    return gitEnvironment(this.path, extra);
  }

  private exec(args: readonly string[], options: GitRunOptions, failOnExit = true): Promise<{ stdout: Buffer; code: number | null }> {
    return new Promise((resolve, reject) => {
      const child = spawn('git', args, { env: this.env(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', reject);
      child.on('close', (code) => {
        if (failOnExit && code !== 0) reject(new GitCommandError(args, code, Buffer.concat(err).toString('utf8')));
        else resolve({ stdout: Buffer.concat(out), code });
      });
      // A command that exits before reading its input closes the pipe: that is its answer, not a crash of ours.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input ?? '');
    });
  }
}

/** The environment every git process of the service runs with. */
export function gitEnvironment(gitDir: string, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: '/nonexistent',
    LANG: 'C',
    GIT_DIR: gitDir,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    ...extra,
  };
}
