import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type FuzzRequest, encodeEvery, hostileCiYaml, picker, seededRandom } from './support/fuzz-requests';
import { type FuzzRoute, fuzzRoutes, hostileRequest, identitiesFor } from './support/fuzz-routes';
import { client, resources } from './support/resources';
import { createRunner, takeJob } from './support/runner-fixtures';
import { TestApp, createUser, startTestApp } from './support/test-app';

/**
 * Issue 19: every route the OpenAPI document lists, sent hostile path values, queries, bodies, content types and
 * percent-encoded credentials, as the admin, anonymously, as a developer and with a runner or job token. No answer may be a 5xx, and
 * no answer or log line may carry a credential or a JWT. Seeded: `FUZZ_SEED=<printed seed>` replays a run. Past
 * findings live in fuzz-corpus/*.json and are replayed first, every run.
 */
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Rounds of one request per route and identity, and CI files; both stop early past the time budget (FUZZ_BUDGET_MS). */
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 3);
const CI_FILES = Number(process.env.FUZZ_CI_FILES ?? 20);
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 20_000);
const CORPUS = join(__dirname, 'fuzz-corpus');
/**
 * Routes whose successful answer is a credential: a new one, or (`runners/verify`, as GitLab's
 * RunnerRegistrationDetails) the one the caller just sent. Only there, and only on a 2xx, may one appear.
 */
const ISSUING =
  /^(POST \/api\/v4\/(users\/\d+\/personal_access_tokens|personal_access_tokens\/\d+\/rotate|user\/runners|jobs\/request|runners\/verify|runners\/\d+\/reset_authentication_token))(\?|$)/;
const CREDENTIAL = /eyJ[\w-]{8,}\.eyJ[\w-]{8,}|glpat-[\w-]{8,}|glrt-[\w-]{8,}|glcbt-[\w-]{8,}|glptt-[\w-]{8,}/;

describe('HTTP fuzz pass', () => {
  let api: TestApp;
  let routes: FuzzRoute[];
  const ids: Record<string, string> = {};
  let secrets: Record<string, string>;
  let settings: Record<string, unknown>;
  let logStart: number;
  const failures: string[] = [];
  /** Answers by status, printed with the seed: a pass that only ever saw 401 would show it. */
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    console.log(`HTTP fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED})`);
    logStart = statSync(process.env.LANYARD_TEST_LOG!).size;
    api = await startTestApp();
    const as = client(api, api.rootToken);
    const group = await resources(api).group(api.rootToken);
    const project = await resources(api).project(api.rootToken, { namespace_id: group.id });
    const p = `/projects/${project.id}`;
    const ci = 'fuzz:\n  id_tokens:\n    VAULT_ID_TOKEN:\n      aud: https://vault.example.com\n  script: [make]\n';
    await as.post(`${p}/repository/files/.gitlab-ci.yml`, { branch: 'main', content: ci, commit_message: 'ci [skip ci]' }).expect(201);
    await as.post(`${p}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
    await as.post(`${p}/merge_requests`, { source_branch: 'feature', target_branch: 'main', title: 't' }).expect(201);
    for (const owner of [p, `/groups/${group.id}`]) await as.post(`${owner}/variables`, { key: 'DEPLOY', value: 'x' }).expect(201);
    const user = await createUser(api, 'fuzz');
    await resources(api).addMember(api.rootToken, `groups/${group.id}`, user, 30);
    const runner = await createRunner(api, api.rootToken, { runner_type: 'project_type', project_id: project.id });
    const pipeline = (await as.post(`${p}/pipeline`, { ref: 'main' }).expect(201)).body;
    const job = await takeJob(api, runner.token);
    Object.assign(ids, { project: project.id, group: group.id, user: user.id, runner: runner.id, job: job.id, pipeline: pipeline.id });
    secrets = { root: api.rootToken, user: user.token, runner: runner.token, job: job.token };
    settings = (await as.get('/application/settings').expect(200)).body;
    routes = fuzzRoutes((await api.http.get('/api/v4/openapi.json').expect(200)).body);
  });

  afterAll(async () => {
    // The instance setting a plausible body may have changed, back as it was for the files that follow.
    await client(api, api.rootToken).put('/application/settings', settings).expect(200);
    // Its pipelines' pending jobs (a parallel matrix makes a hundred) would go to other files' instance runners.
    await client(api, api.rootToken).delete(`/groups/${ids.group}`).expect(202);
    await api.close();
  });
  beforeEach(() => {
    failures.length = 0;
  });

  /** Corpus placeholders: fixture ids (numbers, even inside a JSON string) and the fixture's own credentials. */
  const fill = (text: string) =>
    text
      .replace(/"?\{(project|group|user|runner|job|pipeline)\}"?/g, (_m, name: string) => String(ids[name]))
      .replace(/\{(root|user|runner|job)_token(_pct)?\}/g, (_m, name: string, pct?: string) =>
        pct ? encodeEvery(secrets[name]) : secrets[name],
      );

  /** Sends one request as written (placeholders filled) and records any broken promise. */
  async function check(request: FuzzRequest): Promise<void> {
    const path = fill(request.path);
    const call = api.http[request.method.toLowerCase() as 'get'](path).timeout(30_000);
    if (request.as === 'admin') call.set('PRIVATE-TOKEN', secrets.root);
    for (const [name, value] of Object.entries(request.headers ?? {})) call.set(name, fill(value));
    if (request.as === 'developer') call.set('PRIVATE-TOKEN', secrets.user);
    if (request.as === 'token') call.set('JOB-TOKEN', secrets.job);
    let body = request.body;
    if (request.as === 'token' && body !== null && typeof body === 'object' && request.method !== 'DELETE' && 'token' in body) {
      body = { ...body, token: /^\/api\/v4\/jobs\/\d/.test(path) ? secrets.job : secrets.runner };
    }
    // Written as bytes: `send` would serialize a Buffer as JSON, and could not carry invalid UTF-8 at all.
    if (request.raw !== undefined || request.rawHex !== undefined) {
      call.set('Content-Type', request.contentType ?? 'application/json');
      call.write(request.rawHex !== undefined ? Buffer.from(request.rawHex, 'hex') : Buffer.from(fill(request.raw!), 'utf8'));
    } else if (body !== undefined) {
      call.set('Content-Type', 'application/json').write(Buffer.from(fill(JSON.stringify(body)), 'utf8'));
    }
    const shown = `${request.as} ${request.method} ${path.slice(0, 200)} (${request.note ?? ''})`;
    try {
      const response = await call;
      const text = response.text ?? '';
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (response.status >= 500) failures.push(`${response.status} ${shown}: ${text.slice(0, 300)}`);
      const issuing = response.status < 300 && ISSUING.test(`${request.method} ${path}`);
      for (const [name, secret] of Object.entries(secrets)) {
        if (text.includes(secret) && !issuing) failures.push(`${name} token in the answer to ${shown}`);
      }
      if (!issuing && CREDENTIAL.test(text))
        failures.push(`a credential in the ${response.status} answer to ${shown}: ${CREDENTIAL.exec(text)![0]}`);
    } catch (error) {
      failures.push(`no answer to ${shown}: ${String(error)}`);
    }
  }

  it('replays every past finding and the hostile-input catalogue (fuzz-corpus/*.json) without a 5xx or a leak', async () => {
    const files = readdirSync(CORPUS).filter((file) => file.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    let replayed = 0;
    for (const file of files) {
      const { requests } = JSON.parse(readFileSync(join(CORPUS, file), 'utf8')) as { requests: FuzzRequest[] };
      for (const request of requests) await check({ ...request, note: `${file}: ${request.note ?? ''}` });
      replayed += requests.length;
    }
    expect(replayed).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });

  it(
    'answers seeded hostile requests on every route, as every identity, with no 5xx and no credential',
    async () => {
      const pick = picker(seededRandom(SEED));
      let sent = 0;
      expect(routes.length).toBeGreaterThan(100);
      // Round by round over every route, so that a loaded machine's time budget cuts rounds, never routes.
      const deadline = Date.now() + BUDGET_MS;
      let rounds = 0;
      for (; rounds < ROUNDS && (rounds === 0 || Date.now() < deadline); rounds += 1) {
        for (const route of routes) {
          for (const as of identitiesFor(route)) {
            await check(hostileRequest(route, as, pick, `${SEED}-${(sent += 1)}`, pick(Object.values(secrets))));
          }
        }
      }
      const seen = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`);
      console.log(`HTTP fuzz: ${sent} requests, ${rounds} rounds over ${routes.length} routes, seed ${SEED}; answers ${seen.join(' ')}`);
      expect([...statuses.keys()].filter((status) => status < 300).length).toBeGreaterThan(0);
      // The seed in the comparison, so that a failure shows how to replay it.
      expect({ seed: SEED, failures }).toEqual({ seed: SEED, failures: [] });
    },
    BUDGET_MS + 60_000,
  );

  it(
    'lints, dry-runs, previews and runs hostile CI files with no 5xx and no credential',
    async () => {
      const pick = picker(seededRandom(SEED + 1));
      const p = `/api/v4/projects/{project}`;
      const deadline = Date.now() + BUDGET_MS / 2;
      for (let i = 0; i < CI_FILES && (i < 3 || Date.now() < deadline); i += 1) {
        const content = hostileCiYaml(pick);
        const job = /^([^\s:.][^:]*):/m.exec(content)?.[1] ?? 'j';
        await check({
          method: 'POST',
          path: `${p}/ci/lint`,
          as: 'admin',
          body: { content, dry_run: true, include_jobs: true },
          note: content,
        });
        await check({ method: 'POST', path: `${p}/ci/id_token_preview`, as: 'admin', body: { ref: 'main', job, content }, note: content });
        // The first commit makes the branch `fuzz` from `main`; the others change it.
        const commit = { branch: 'fuzz', ...(i === 0 ? { start_branch: 'main' } : {}), content, commit_message: 'fuzz' };
        await check({
          method: 'PUT',
          path: `${p}/repository/files/.gitlab-ci.yml`,
          as: 'admin',
          body: commit,
          note: content,
        });
        await check({ method: 'POST', path: `${p}/pipeline`, as: 'admin', body: { ref: 'fuzz' }, note: content });
      }
      await check({
        method: 'POST',
        path: '/api/v4/jobs/request',
        as: 'token',
        body: { token: 'runner' },
        note: 'after hostile pipelines',
      });
      expect({ seed: SEED, failures }).toEqual({ seed: SEED, failures: [] });
    },
    BUDGET_MS + 30_000,
  );

  it('wrote no credential or JWT into any log line', async () => {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const log = readFileSync(process.env.LANYARD_TEST_LOG!).subarray(logStart).toString('utf8');
    const leaks = log.split('\n').filter((line) => {
      const decoded = safeDecode(line);
      return [line, decoded].some((text) => CREDENTIAL.test(text) || Object.values(secrets).some((secret) => text.includes(secret)));
    });
    expect(log.length).toBeGreaterThan(0);
    expect(leaks.map((line) => line.slice(0, 400))).toEqual([]);
  });
});

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/(%[0-9a-f]{2})+/gi, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        return run;
      }
    });
  }
}
