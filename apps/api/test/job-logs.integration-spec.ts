import { JOB_LOG_LIMIT_BYTES, logLimitMessage } from '@lanyard/pipelines';
import { DataSource } from 'typeorm';
import { JobLogsService } from '../src/job-logs/job-logs.service';
import { createCiFixture } from './support/ci-fixtures';
import { client, resources } from './support/resources';
import { JobPayload, buildRow, runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { patchTrace, updateJob } from './support/runner-protocol';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const ONE_JOB = 'only-job:\n  script: echo hi\n';
const MASKED_SECRET = 'Zq8mW2vR5tY7uP3x-log';
const WITH_ID_TOKEN = `
deploy:
  script: echo deploy
  id_tokens:
    VAULT_ID_TOKEN:
      aud: https://vault.example.com
`;

describe(JobLogsService.name, () => {
  let api: TestApp;
  let owner: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
    owner = await createUser(api, 'log-owner');
  });

  afterAll(() => api.close());

  const as = (user: TestUser) => client(api, user);
  const db = () => api.app.get(DataSource);
  const readLog = (projectId: number, jobId: number, who: TestUser = owner) => as(who).get(`/projects/${projectId}/jobs/${jobId}/trace`);

  async function startJob(yaml = ONE_JOB): Promise<{ projectId: number; job: JobPayload; runnerToken: string }> {
    const fixture = await createCiFixture(api, yaml, { owner });
    await runPipeline(api, owner, fixture.projectId);
    return { projectId: fixture.projectId, job: await takeJob(api, fixture.runnerToken), runnerToken: fixture.runnerToken };
  }

  /** Every byte the database holds for a job's log: stored chunks and the held bytes, as they are at rest. */
  async function logAtRest(jobId: number): Promise<Buffer> {
    const chunks: { data: Buffer }[] = await db().query('SELECT data FROM ci_job_trace_chunks WHERE build_id = $1', [jobId]);
    const held: { held_sealed: Buffer | null }[] = await db().query('SELECT held_sealed FROM ci_job_traces WHERE build_id = $1', [jobId]);
    return Buffer.concat([...chunks.map((row) => row.data), ...held.flatMap((row) => (row.held_sealed ? [row.held_sealed] : []))]);
  }

  it('takes the log as the runner sends it, answers its headers, and shows it to a reporter as text', async () => {
    const { projectId, job } = await startJob();
    const first = 'Running with gitlab-runner 18.0.0\n';
    const second = '$ echo hi\nhi\n';

    const accepted = await patchTrace(api, job, 0, first).expect(202);
    expect(accepted.headers).toMatchObject({ range: `0-${first.length}`, 'job-status': 'running', 'x-gitlab-trace-update-interval': '60' });
    await updateJob(api, job, { state: 'running', log: first }).expect(200);
    const next = await patchTrace(api, job, first.length, second).expect(202);
    expect(next.headers.range).toBe(`0-${first.length + second.length}`);
    await updateJob(api, job, { state: 'success', log: first + second }).expect(200);

    const reporter = await createUser(api, 'log-reporter');
    await resources(api).addMember(owner, `projects/${projectId}`, reporter, 20);
    const shown = await readLog(projectId, job.id, reporter).expect(200);
    expect(shown.headers['content-type']).toMatch(/^text\/plain/);
    expect(shown.text).toBe(first + second);
  });

  it('answers 416 with the current length when an append does not start where the log ends, and stores nothing', async () => {
    const { projectId, job } = await startJob();
    await patchTrace(api, job, 0, 'abcdef').expect(202);
    for (const start of [0, 3, 7]) {
      const refused = await patchTrace(api, job, start, 'XYZ').expect(416);
      expect(refused.headers.range).toBe('0-6');
    }
    await patchTrace(api, job, 6, 'ghi').expect(202);
    expect((await readLog(projectId, job.id).expect(200)).text).toBe('abcdefghi');
  });

  it('takes one of two appends sent at once for the same offset, and answers the other 416', async () => {
    const { projectId, job } = await startJob();
    const answers = await Promise.all([patchTrace(api, job, 0, 'first\n'), patchTrace(api, job, 0, 'second\n')]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([202, 416]);
    const stored = (await readLog(projectId, job.id).expect(200)).text;
    expect(['first\n', 'second\n']).toContain(stored);
    expect(answers.find((answer) => answer.status === 416)!.headers.range).toBe(`0-${stored.length}`);
  });

  it('reads the job token from the token parameter too, as GitLab does', async () => {
    const { projectId, job } = await startJob();
    await api.http
      .patch(`/api/v4/jobs/${job.id}/trace?token=${encodeURIComponent(job.token)}`)
      .set('Content-Range', '0-2')
      .set('Content-Type', 'text/plain')
      .send('abc')
      .expect(202);
    expect((await readLog(projectId, job.id).expect(200)).text).toBe('abc');
  });

  it('answers 400 to an append without Content-Range or with one it cannot read', async () => {
    const { job } = await startJob();
    await api.http
      .patch(`/api/v4/jobs/${job.id}/trace`)
      .set('JOB-TOKEN', job.token)
      .set('Content-Type', 'text/plain')
      .send('x')
      .expect(400);
    await patchTrace(api, job, 0, 'x').set('Content-Range', 'bytes=0-0').expect(400);
  });

  it("refuses with 403 a wrong token, another job's token, no token and a finished job (telling its status)", async () => {
    const { job, runnerToken } = await startJob(`${ONE_JOB}other-job:\n  script: echo\n`);
    const other = await takeJob(api, runnerToken);
    for (const token of ['glcbt-not-the-token', other.token, runnerToken, '']) {
      const refused = await patchTrace(api, { id: job.id, token }, 0, 'x').expect(403);
      expect(refused.headers['job-status']).toBeUndefined();
    }
    await patchTrace(api, { id: 99_999_999, token: job.token }, 0, 'x').expect(403);
    await updateJob(api, job, { state: 'success', log: '' }).expect(200);
    const finished = await patchTrace(api, job, 0, 'late').expect(403);
    expect(finished.headers['job-status']).toBe('success');
    expect(await logAtRest(job.id)).toHaveLength(0);
  });

  it('tells the runner of a canceled job to stop, on its next append and its next update', async () => {
    const { projectId, job } = await startJob();
    await patchTrace(api, job, 0, 'working\n').expect(202);
    // What a cancel does to the job (GitLab's `cancel` event for a runner without graceful cancel).
    await db().query(`UPDATE ci_builds SET status = 'canceled' WHERE id = $1`, [job.id]);

    const append = await patchTrace(api, job, 8, 'more\n').expect(403);
    expect(append.headers['job-status']).toBe('canceled');
    const update = await updateJob(api, job, { state: 'running', log: 'working\nmore\n' }).expect(403);
    expect(update.headers['job-status']).toBe('canceled');
    expect((await readLog(projectId, job.id).expect(200)).text).toBe('working\n');
  });

  it('masks masked variables, the job token and ID tokens, also when split between two appends, and never stores them', async () => {
    const fixture = await createCiFixture(api, WITH_ID_TOKEN, { owner });
    await as(owner).post(`/projects/${fixture.projectId}/variables`, { key: 'SECRET', value: MASKED_SECRET, masked: true }).expect(201);
    await runPipeline(api, owner, fixture.projectId);
    const job = await takeJob(api, fixture.runnerToken);
    const idToken = variableMap(job).get('VAULT_ID_TOKEN')!.value;
    const log = `secret=${MASKED_SECRET}\ntoken=${job.token}\nid=${idToken}\nthe end\n`;

    // The runner's patches cut each secret in two.
    const cuts = [0, log.indexOf(MASKED_SECRET) + 5, log.indexOf(job.token) + 9, log.indexOf(idToken) + 200, log.length];
    for (let i = 0; i + 1 < cuts.length; i++) {
      await patchTrace(api, job, cuts[i], log.slice(cuts[i], cuts[i + 1])).expect(202);
      const rest = await logAtRest(job.id);
      for (const secret of [MASKED_SECRET, job.token, idToken]) expect(rest.includes(Buffer.from(secret))).toBe(false);
      for (const part of [MASKED_SECRET.slice(0, 5), job.token.slice(0, 9), idToken.slice(0, 200)]) {
        expect(rest.includes(Buffer.from(part))).toBe(false);
      }
    }
    await updateJob(api, job, { state: 'success', log }).expect(200);
    expect((await readLog(fixture.projectId, job.id).expect(200)).text).toBe('secret=[MASKED]\ntoken=[MASKED]\nid=[MASKED]\nthe end\n');
    expect((await logAtRest(job.id)).toString()).toBe('secret=[MASKED]\ntoken=[MASKED]\nid=[MASKED]\nthe end\n');
  });

  it("cuts a log at 16 MiB with GitLab's limit line and keeps answering the runner", async () => {
    const { projectId, job } = await startJob();
    const mebibyte = Buffer.alloc(1024 * 1024, 'a');
    for (let i = 0; i < 17; i++) await patchTrace(api, job, i * mebibyte.length, mebibyte).expect(202);
    const after = await patchTrace(api, job, 17 * mebibyte.length, 'later').expect(202);
    expect(after.headers.range).toBe(`0-${17 * mebibyte.length + 5}`);
    const shown = (await readLog(projectId, job.id).expect(200)).text;
    // Compared by parts: a failure must not print 16 MiB.
    expect(shown.length).toBe(JOB_LOG_LIMIT_BYTES + logLimitMessage(JOB_LOG_LIMIT_BYTES).length);
    // A string comparison, not /^a+$/: a regex over 16 MiB can exhaust the stack.
    expect(shown.slice(0, JOB_LOG_LIMIT_BYTES) === 'a'.repeat(JOB_LOG_LIMIT_BYTES)).toBe(true);
    expect(shown.slice(JOB_LOG_LIMIT_BYTES)).toBe(logLimitMessage(JOB_LOG_LIMIT_BYTES));
    expect(logLimitMessage(JOB_LOG_LIMIT_BYTES)).toContain("Job's log exceeded limit of 16777216 bytes.");
  });

  it('answers the same final state sent again with 200, and another with 403 naming the status', async () => {
    const { job } = await startJob();
    await updateJob(api, job, { state: 'failed', log: '', failureReason: 'script_failure', exitCode: 1 }).expect(200);
    await updateJob(api, job, { state: 'failed', log: '', failureReason: 'script_failure', exitCode: 1 }).expect(200);
    const other = await updateJob(api, job, { state: 'success', log: '' }).expect(403);
    expect(other.headers['job-status']).toBe('failed');
    await updateJob(api, { id: job.id, token: 'glcbt-not-the-token' }, { state: 'failed', log: '' }).expect(403);
    expect(await buildRow(api, job.id)).toMatchObject({ status: 'failed', failure_reason: 'script_failure' });
  });

  it('shows the log to reporters and above only, and only under its own project', async () => {
    const { projectId, job } = await startJob();
    await patchTrace(api, job, 0, 'hello\n').expect(202);
    const guest = await createUser(api, 'log-guest');
    await resources(api).addMember(owner, `projects/${projectId}`, guest, 10);
    await readLog(projectId, job.id, guest).expect(403);
    await readLog(projectId, job.id, await createUser(api, 'log-stranger')).expect(404);
    const elsewhere = await createCiFixture(api, ONE_JOB, { owner });
    await readLog(elsewhere.projectId, job.id).expect(404);
    expect((await readLog(projectId, job.id).expect(200)).text).toBe('hello\n');
  });
});
