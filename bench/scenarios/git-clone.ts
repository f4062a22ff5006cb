import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../../apps/api/src/config/app-config';
import { GitStorage } from '../../apps/api/src/repository/git-storage';
import type { ApiClient, BenchUser, Fixtures } from '../support/api-client';
import { fastImportStream, git, gitClientEnv, packBytes } from '../support/git';
import { summarize } from '../support/stats';

export interface GitCloneSettings {
  readonly commits: number;
  readonly filesPerCommit: number;
  /** Timed clones of each kind, interleaved; the median is reported. */
  readonly runs: number;
  /** Timed pushes (after 2 warm-ups). */
  readonly pushes: number;
}

/** One kind of clone over Lanyard's smart HTTP beside the same clone from the repository's directory. */
export interface CloneFigures {
  readonly http_ms: number;
  readonly local_ms: number;
  readonly http_bytes: number;
  readonly local_bytes: number;
}

export interface GitCloneResult {
  readonly commits: number;
  readonly files: number;
  readonly full: CloneFigures;
  readonly depth1: CloneFigures;
  /** `git push` of one commit with a `.gitlab-ci.yml` until `GET …/pipelines` lists its pipeline: median, ms. */
  readonly pushToPipelineMs: number;
  /** The `git push` process alone (its answer waits for the push pipeline), median, ms. */
  readonly pushMs: number;
  readonly notes: string[];
}

/**
 * Clones of a project of `commits` commits and `commits × filesPerCommit` files, full and `--depth 1` (a runner's
 * `GIT_DEPTH`), over smart HTTP with a PAT, each beside `git clone --bare --no-local` of the same bare repository
 * from the disk: the same upload-pack and pack, without Lanyard's HTTP, authentication and process handling.
 */
export async function runGitClone(
  api: ApiClient,
  fixtures: Fixtures,
  owner: BenchUser,
  repositoriesDir: string,
  workDir: string,
  settings: GitCloneSettings,
  progress: (message: string) => void,
): Promise<GitCloneResult> {
  const dir = join(workDir, 'git-clone');
  mkdirSync(dir, { recursive: true });
  const env = gitClientEnv(dir);
  const notes: string[] = [];
  const source = join(dir, 'source.git');
  const files = settings.commits * settings.filesPerCommit;
  progress(`git clone: building ${settings.commits} commits, ${files} files with git fast-import`);
  await git(['init', '--bare', '--quiet', source], env);
  await git(['--git-dir', source, 'fast-import', '--quiet'], env, { input: fastImportStream(settings.commits, settings.filesPerCommit) });
  await git(['--git-dir', source, 'repack', '-a', '-d', '-q'], env);
  const tip = await git(['--git-dir', source, 'rev-parse', 'refs/heads/main'], env);

  // A push of the whole history would also index every commit's full file list in PostgreSQL (git-push-index.ts),
  // which this scenario does not measure: the history goes into the project's repository on disk, at the path the
  // application's own GitStorage gives, after a first HTTP request has made that repository.
  const projectId = await fixtures.emptyProject(owner, 'git-clone');
  const remote = await httpRemote(api, owner, projectId);
  await git(['ls-remote', remote], env);
  const served = new GitStorage({ repositoriesDir } as AppConfig).pathFor(projectId);
  await git(['--git-dir', served, 'fetch', '--quiet', source, '+refs/heads/main:refs/heads/main'], env);
  await git(['--git-dir', served, 'symbolic-ref', 'HEAD', 'refs/heads/main'], env);

  const kinds = { full: [] as string[], depth1: ['--depth', '1'] };
  const samples = { full: { http: [] as Sample[], local: [] as Sample[] }, depth1: { http: [] as Sample[], local: [] as Sample[] } };
  for (let run = 0; run <= settings.runs; run++) {
    progress(`git clone: ${run === 0 ? 'warm-up' : `run ${run}/${settings.runs}`}`);
    for (const kind of ['full', 'depth1'] as const) {
      // Alternated, so neither side always runs right after the other's disk and CPU work.
      const clones = [
        () => timedClone(env, remote, kinds[kind], join(dir, `http-${kind}-${run}.git`)),
        () => timedClone(env, `file://${served}`, ['--no-local', ...kinds[kind]], join(dir, `local-${kind}-${run}.git`)),
      ];
      const first = await clones[run % 2]();
      const second = await clones[(run + 1) % 2]();
      const [http, local] = run % 2 === 0 ? [first, second] : [second, first];
      for (const sample of [local, http]) await checkClone(env, sample.path, tip, kind === 'full' ? settings.commits : 1, files);
      if (run === 0) continue;
      samples[kind].local.push(local);
      samples[kind].http.push(http);
    }
  }
  const hardlinked = await timedClone(env, served, [], join(dir, 'hardlinked.git'));
  notes.push(
    `git clone --bare of the served directory without --no-local (hard links, no pack built): ${Math.round(hardlinked.ms)} ms; the ratios use --no-local`,
  );

  progress(`push to pipeline: ${settings.pushes} pushes of a commit with .gitlab-ci.yml`);
  const push = await pushToPipeline(api, fixtures, owner, env, dir, settings.pushes);
  rmSync(dir, { recursive: true, force: true });
  return {
    commits: settings.commits,
    files,
    full: figures(samples.full),
    depth1: figures(samples.depth1),
    pushToPipelineMs: summarize(push.toPipeline).p50,
    pushMs: summarize(push.push).p50,
    notes,
  };
}

interface Sample {
  readonly path: string;
  readonly ms: number;
  readonly bytes: number;
}

async function timedClone(env: NodeJS.ProcessEnv, url: string, extra: readonly string[], path: string): Promise<Sample> {
  const start = performance.now();
  await git(['clone', '--bare', '--quiet', ...extra, url, path], env);
  return { path, ms: performance.now() - start, bytes: packBytes(path) };
}

/** A clone must hold the served tip with its whole history (or one commit when shallow) and every file. */
async function checkClone(env: NodeJS.ProcessEnv, path: string, tip: string, commits: number, files: number): Promise<void> {
  const head = await git(['--git-dir', path, 'rev-parse', 'refs/heads/main'], env);
  const count = Number(await git(['--git-dir', path, 'rev-list', '--count', 'main'], env));
  const listed = (await git(['--git-dir', path, 'ls-tree', '-r', '--name-only', 'main'], env)).split('\n').length;
  if (head !== tip || count !== commits || listed !== files)
    throw new Error(`git clone: ${path} has ${head} with ${count} commits and ${listed} files; expected ${tip}, ${commits}, ${files}`);
  rmSync(path, { recursive: true, force: true });
}

function figures(kind: { http: Sample[]; local: Sample[] }): CloneFigures {
  const median = (values: number[]) => summarize(values).p50;
  return {
    http_ms: median(kind.http.map((sample) => sample.ms)),
    local_ms: median(kind.local.map((sample) => sample.ms)),
    http_bytes: median(kind.http.map((sample) => sample.bytes)),
    local_bytes: median(kind.local.map((sample) => sample.bytes)),
  };
}

async function httpRemote(api: ApiClient, owner: BenchUser, projectId: number): Promise<string> {
  const project = await api.expect<{ path_with_namespace: string }>(200, 'GET', `/api/v4/projects/${projectId}`, { token: owner.token });
  const url = new URL(`${api.baseUrl}/${project.path_with_namespace}.git`);
  url.username = owner.username;
  url.password = owner.token;
  return url.toString();
}

/**
 * A clone of a small project with a `.gitlab-ci.yml`; each round commits a file, then times `git push` and the polls
 * of `GET /projects/:id/pipelines?source=push` until the newest pipeline is the pushed commit's.
 */
async function pushToPipeline(api: ApiClient, fixtures: Fixtures, owner: BenchUser, env: NodeJS.ProcessEnv, dir: string, pushes: number) {
  const projectId = await fixtures.project(owner, 'push', 'test:\n  script: echo pushed\n');
  const checkout = join(dir, 'push');
  await git(['clone', '--quiet', await httpRemote(api, owner, projectId), checkout], env);
  const toPipeline: number[] = [];
  const push: number[] = [];
  for (let round = -2; round < pushes; round++) {
    writeFileSync(join(checkout, 'pushed.txt'), `round ${round}\n`);
    await git(['add', 'pushed.txt'], env, { cwd: checkout });
    await git(['commit', '--quiet', '-m', `Push ${round}`], env, { cwd: checkout });
    const sha = await git(['rev-parse', 'HEAD'], env, { cwd: checkout });
    const start = performance.now();
    await git(['push', '--quiet', 'origin', 'main'], env, { cwd: checkout });
    const pushed = performance.now();
    for (let poll = 0; ; poll++) {
      const [newest] = await api.expect<{ sha: string }[]>(200, 'GET', `/api/v4/projects/${projectId}/pipelines?source=push&per_page=1`, {
        token: owner.token,
      });
      if (newest?.sha === sha) break;
      if (poll === 2000) throw new Error(`push to pipeline: no push pipeline for ${sha} after ${Math.round(performance.now() - start)} ms`);
      await new Promise((done) => setTimeout(done, 5));
    }
    if (round < 0) continue;
    toPipeline.push(performance.now() - start);
    push.push(pushed - start);
  }
  return { toPipeline, push };
}
