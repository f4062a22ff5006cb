import { DataSource } from 'typeorm';
import { createCiFixture } from './support/ci-fixtures';
import { client, resources } from './support/resources';
import { runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { patchTrace, updateJob } from './support/runner-protocol';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const ONE_JOB = 'only-job:\n  script: echo hi\n';
const TWO_JOBS = 'first:\n  script: echo one\nsecond:\n  script: echo two\n';
const WITH_ID_TOKEN = 'deploy:\n  script: echo deploy\n  id_tokens:\n    VAULT_ID_TOKEN:\n      aud: https://vault.example.com\n';
const DEVELOPER = 30;
const MAINTAINER = 40;
const REPORTER = 20;

/** GitLab's `iid`, `DELETE …/pipelines/:id`, `GET …/pipelines/latest` and `GET …/pipelines/:id/variables`. */
describe('Pipeline endpoints: iid, delete, latest, variables', () => {
  let api: TestApp;
  let owner: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
    owner = await createUser(api, 'pipes-owner');
  });

  afterAll(() => api.close());

  const as = (user: TestUser) => client(api, user);
  const db = () => api.app.get(DataSource);

  async function member(projectId: number, level: number): Promise<TestUser> {
    const user = await createUser(api, `pipes-${level}`);
    await resources(api).addMember(owner, `projects/${projectId}`, user, level);
    return user;
  }

  /** The fixture's `[skip ci]` commit stored a skipped push pipeline first: the project's iid 1. */
  async function iidsOf(projectId: number): Promise<number[]> {
    const rows: { iid: number }[] = await db().query('SELECT iid FROM ci_pipelines WHERE project_id = $1 ORDER BY id', [projectId]);
    return rows.map((row) => row.iid);
  }

  describe('iid', () => {
    it('numbers pipelines per project and shows the number in every pipeline JSON', async () => {
      const first = await createCiFixture(api, ONE_JOB, { owner });
      const second = await createCiFixture(api, ONE_JOB, { owner });
      const a = await runPipeline(api, owner, first.projectId);
      const b = await runPipeline(api, owner, first.projectId);
      const c = await runPipeline(api, owner, second.projectId);
      expect([a, b, c].map((p) => (p as { iid?: number }).iid)).toEqual([2, 3, 2]);

      const shown = await as(owner).get(`/projects/${first.projectId}/pipelines/${b.id}`).expect(200);
      expect(shown.body.iid).toBe(3);
      const listed = await as(owner).get(`/projects/${first.projectId}/pipelines`).expect(200);
      expect(listed.body.map((p: { iid: number }) => p.iid)).toEqual([3, 2, 1]);
      const jobs = await as(owner).get(`/projects/${first.projectId}/pipelines/${a.id}/jobs`).expect(200);
      expect(jobs.body[0].pipeline).toMatchObject({ id: a.id, iid: 2 });
    });

    it('gives pipelines created at once distinct, consecutive numbers', async () => {
      const fixture = await createCiFixture(api, ONE_JOB, { owner });
      const created = await Promise.all(
        Array.from({ length: 6 }, () => as(owner).post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' })),
      );
      expect(created.map((response) => response.status)).toEqual([201, 201, 201, 201, 201, 201]);
      expect(created.map((response) => response.body.iid).sort((x, y) => x - y)).toEqual([2, 3, 4, 5, 6, 7]);
    });

    it('never gives a deleted pipeline’s number again', async () => {
      const fixture = await createCiFixture(api, ONE_JOB, { owner });
      const latest = await runPipeline(api, owner, fixture.projectId);
      await as(owner).delete(`/projects/${fixture.projectId}/pipelines/${latest.id}`).expect(204);
      const next = await runPipeline(api, owner, fixture.projectId);
      expect((next as { iid?: number }).iid).toBe(3);
      expect(await iidsOf(fixture.projectId)).toEqual([1, 3]);
    });

    it('passes CI_PIPELINE_IID to the job', async () => {
      const fixture = await createCiFixture(api, ONE_JOB, { owner });
      await runPipeline(api, owner, fixture.projectId);
      const job = await takeJob(api, fixture.runnerToken);
      expect(variableMap(job).get('CI_PIPELINE_IID')).toEqual({ key: 'CI_PIPELINE_IID', value: '2', public: true, masked: false });
    });
  });

  describe('DELETE /projects/:id/pipelines/:pipeline_id', () => {
    it('removes the pipeline with its jobs, metadata and logs for an owner, and its job tokens stop working', async () => {
      const fixture = await createCiFixture(api, TWO_JOBS, { owner });
      const pipeline = await runPipeline(api, owner, fixture.projectId);
      const job = await takeJob(api, fixture.runnerToken);
      await patchTrace(api, job, 0, 'hello\n').expect(202);
      const count = async (table: string) =>
        Number(
          (
            await db().query(`SELECT count(*) FROM ${table} WHERE build_id IN (SELECT id FROM ci_builds WHERE pipeline_id = $1)`, [
              pipeline.id,
            ])
          )[0].count,
        );
      expect([await count('ci_builds_metadata'), await count('ci_job_traces')]).toEqual([2, 1]);

      const deleted = await as(owner).delete(`/projects/${fixture.projectId}/pipelines/${pipeline.id}`).expect(204);
      expect(deleted.text).toBe('');

      await as(owner).get(`/projects/${fixture.projectId}/pipelines/${pipeline.id}`).expect(404);
      await as(owner).get(`/projects/${fixture.projectId}/jobs/${job.id}`).expect(404);
      const left = await db().query(
        `SELECT (SELECT count(*) FROM ci_builds WHERE pipeline_id = $1) AS builds,
                (SELECT count(*) FROM ci_builds_metadata WHERE build_id = $2) AS metadata,
                (SELECT count(*) FROM ci_job_traces WHERE build_id = $2) AS traces,
                (SELECT count(*) FROM ci_job_trace_chunks WHERE build_id = $2) AS chunks`,
        [pipeline.id, job.id],
      );
      expect(left).toEqual([{ builds: 0, metadata: 0, traces: 0, chunks: 0 }]);
      await api.http.get('/api/v4/job').set('JOB-TOKEN', job.token).expect(401);
      await patchTrace(api, job, 6, 'more\n').expect(403);
      await updateJob(api, job, { state: 'success', log: 'hello\n' }).expect(403);
    });

    it('keeps the issuance audit of its jobs’ ID tokens, which stay valid where they went, as superseded', async () => {
      const fixture = await createCiFixture(api, WITH_ID_TOKEN, { owner });
      const pipeline = await runPipeline(api, owner, fixture.projectId);
      const job = await takeJob(api, fixture.runnerToken);
      await as(owner).delete(`/projects/${fixture.projectId}/pipelines/${pipeline.id}`).expect(204);
      const audit = await as(owner).get(`/projects/${fixture.projectId}/ci/id_token_issuances`).expect(200);
      expect(audit.body).toEqual([
        expect.objectContaining({
          job_id: job.id,
          variable: 'VAULT_ID_TOKEN',
          superseded_at: expect.any(String),
          superseded_reason: 'deleted',
          superseded_by_job_id: null,
        }),
      ]);
    });

    it('frees the resource group its running job held for the job waiting for it in another pipeline', async () => {
      const fixture = await createCiFixture(api, 'deploy:\n  script: d\n  resource_group: production\n', { owner });
      const first = await runPipeline(api, owner, fixture.projectId);
      const second = await runPipeline(api, owner, fixture.projectId);
      await takeJob(api, fixture.runnerToken);
      const jobOf = async (pipelineId: number) =>
        (await as(owner).get(`/projects/${fixture.projectId}/pipelines/${pipelineId}/jobs`).expect(200)).body[0];
      const waiting = await jobOf(second.id);
      expect(waiting.status).toBe('waiting_for_resource');

      await as(owner).delete(`/projects/${fixture.projectId}/pipelines/${first.id}`).expect(204);
      expect((await jobOf(second.id)).status).toBe('pending');
      expect((await takeJob(api, fixture.runnerToken)).id).toBe(waiting.id);
    });

    it('deletes after losing a deadlock to a runner taking one of its jobs (its job row, then the pipeline)', async () => {
      const fixture = await createCiFixture(api, ONE_JOB, { owner });
      const pipeline = await runPipeline(api, owner, fixture.projectId);
      const [{ id: jobId }] = await db().query('SELECT id FROM ci_builds WHERE pipeline_id = $1', [pipeline.id]);
      // The pickup's order: it updates the job, then the pipeline; the deletion locks the pipeline, then removes the job.
      const runner = db().createQueryRunner();
      await runner.startTransaction();
      try {
        await runner.query('SELECT 1 FROM ci_builds WHERE id = $1 FOR UPDATE', [jobId]);
        const deleting = as(owner)
          .delete(`/projects/${fixture.projectId}/pipelines/${pipeline.id}`)
          .then((response) => response);
        await new Promise((resolve) => setTimeout(resolve, 300));
        // PostgreSQL finds the cycle where the deletion waits (it waited longer) and aborts the deletion's attempt.
        await runner.query('UPDATE ci_pipelines SET status = status WHERE id = $1', [pipeline.id]);
        await runner.commitTransaction();
        expect((await deleting).status).toBe(204);
      } finally {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
      }
      expect(await db().query('SELECT id FROM ci_pipelines WHERE id = $1', [pipeline.id])).toEqual([]);
    });

    it('refuses maintainers, developers and reporters with 403, as GitLab keeps it to owners', async () => {
      const fixture = await createCiFixture(api, ONE_JOB, { owner });
      const pipeline = await runPipeline(api, owner, fixture.projectId);
      for (const level of [MAINTAINER, DEVELOPER, REPORTER]) {
        const user = await member(fixture.projectId, level);
        const refused = await as(user).delete(`/projects/${fixture.projectId}/pipelines/${pipeline.id}`).expect(403);
        expect(refused.body).toEqual({ message: '403 Forbidden' });
      }
      await as(owner).get(`/projects/${fixture.projectId}/pipelines/${pipeline.id}`).expect(200);
    });

    it('refuses a read_api token, and lets it read the latest pipeline and the variables', async () => {
      const fixture = await createCiFixture(api, ONE_JOB, { owner });
      const pipeline = await runPipeline(api, owner, fixture.projectId);
      const readApi = await client(api, api.rootToken).post(`/users/${owner.id}/personal_access_tokens`, {
        name: 'ro',
        scopes: ['read_api'],
      });
      const readOnly = client(api, readApi.body.token);
      const refused = await readOnly.delete(`/projects/${fixture.projectId}/pipelines/${pipeline.id}`).expect(403);
      expect(refused.body).toMatchObject({ error: 'insufficient_scope' });
      await readOnly.get(`/projects/${fixture.projectId}/pipelines/latest`).expect(200);
      await readOnly.get(`/projects/${fixture.projectId}/pipelines/${pipeline.id}/variables`).expect(200);
      await as(owner).get(`/projects/${fixture.projectId}/pipelines/${pipeline.id}`).expect(200);
    });

    it('lets an administrator delete, and answers 404 for a pipeline of another project or none', async () => {
      const fixture = await createCiFixture(api, ONE_JOB, { owner });
      const other = await createCiFixture(api, ONE_JOB, { owner });
      const pipeline = await runPipeline(api, owner, fixture.projectId);
      const notFound = await as(owner).delete(`/projects/${other.projectId}/pipelines/${pipeline.id}`).expect(404);
      expect(notFound.body).toEqual({ message: '404 Pipeline Not Found' });
      await as(owner).delete(`/projects/${fixture.projectId}/pipelines/99999999999`).expect(404);
      await as(owner).delete(`/projects/${fixture.projectId}/pipelines/abc`).expect(400);
      await client(api, api.rootToken).delete(`/projects/${fixture.projectId}/pipelines/${pipeline.id}`).expect(204);
    });
  });

  describe('GET /projects/:id/pipelines/latest', () => {
    it('shows the newest pipeline of the default branch’s head, or of ?ref=', async () => {
      const fixture = await createCiFixture(api, ONE_JOB, { owner });
      await as(owner).post(`/projects/${fixture.projectId}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
      await runPipeline(api, owner, fixture.projectId);
      const newest = await runPipeline(api, owner, fixture.projectId);
      const onFeature = await runPipeline(api, owner, fixture.projectId, 'feature');

      const latest = await as(owner).get(`/projects/${fixture.projectId}/pipelines/latest`).expect(200);
      const shown = await as(owner).get(`/projects/${fixture.projectId}/pipelines/${newest.id}`).expect(200);
      expect(latest.body).toEqual(shown.body);
      const feature = await as(owner).get(`/projects/${fixture.projectId}/pipelines/latest?ref=feature`).expect(200);
      expect(feature.body).toMatchObject({ id: onFeature.id, ref: 'feature' });
      const reporter = await member(fixture.projectId, REPORTER);
      await as(reporter).get(`/projects/${fixture.projectId}/pipelines/latest`).expect(200);
    });

    it('takes only pipelines of the ref’s current commit, and answers 403 when there is none, as GitLab', async () => {
      const fixture = await createCiFixture(api, ONE_JOB, { owner });
      const old = await runPipeline(api, owner, fixture.projectId);
      const commit = { branch: 'main', commit_message: 'next [skip ci]', content: 'x' };
      await as(owner).post(`/projects/${fixture.projectId}/repository/files/readme.txt`, commit).expect(201);
      const skipped = await as(owner).get(`/projects/${fixture.projectId}/pipelines/latest`).expect(200);
      expect(skipped.body).toMatchObject({ status: 'skipped' });
      expect(skipped.body.id).toBeGreaterThan(old.id);
      await db().query('DELETE FROM ci_pipelines WHERE id = $1', [skipped.body.id]);

      const none = await as(owner).get(`/projects/${fixture.projectId}/pipelines/latest`).expect(403);
      expect(none.body).toEqual({ message: '403 Forbidden' });
      await as(owner).get(`/projects/${fixture.projectId}/pipelines/latest?ref=no-such-branch`).expect(403);
    });
  });

  describe('GET /projects/:id/pipelines/:pipeline_id/variables', () => {
    it('lists the variables the pipeline was created with, in GitLab’s shape', async () => {
      const fixture = await createCiFixture(api, ONE_JOB, { owner });
      await as(owner).put(`/projects/${fixture.projectId}`, { ci_pipeline_variables_minimum_override_role: 'developer' }).expect(200);
      const variables = [
        { key: 'DEPLOY_TARGET', value: 'eu-1' },
        { key: 'CONFIG', value: 'a=b', variable_type: 'file' },
      ];
      const pipeline = await runPipeline(api, owner, fixture.projectId, 'main', variables);
      const listed = await as(owner).get(`/projects/${fixture.projectId}/pipelines/${pipeline.id}/variables`).expect(200);
      expect(listed.body).toEqual([
        { variable_type: 'env_var', key: 'DEPLOY_TARGET', value: 'eu-1' },
        { variable_type: 'file', key: 'CONFIG', value: 'a=b' },
      ]);
      const none = await runPipeline(api, owner, fixture.projectId);
      await as(owner).get(`/projects/${fixture.projectId}/pipelines/${none.id}/variables`).expect(200, []);
    });

    it('shows them to maintainers and to the developer who ran the pipeline, not to other developers or reporters', async () => {
      const fixture = await createCiFixture(api, ONE_JOB, { owner });
      const maintainer = await member(fixture.projectId, MAINTAINER);
      const developer = await member(fixture.projectId, DEVELOPER);
      const otherDeveloper = await member(fixture.projectId, DEVELOPER);
      const reporter = await member(fixture.projectId, REPORTER);
      await as(owner).post(`/projects/${fixture.projectId}/repository/branches`, { branch: 'work', ref: 'main' }).expect(201);
      const pipeline = await runPipeline(api, developer, fixture.projectId, 'work');
      const url = `/projects/${fixture.projectId}/pipelines/${pipeline.id}/variables`;
      await as(maintainer).get(url).expect(200);
      await as(developer).get(url).expect(200);
      await as(otherDeveloper).get(url).expect(403);
      await as(reporter).get(url).expect(403);
      await as(owner).get(`/projects/${fixture.projectId}/pipelines/99999999999/variables`).expect(404);
    });
  });
});
