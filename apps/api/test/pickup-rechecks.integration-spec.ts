import { DataSource } from 'typeorm';
import { createCiFixture, requestJob } from './support/ci-fixtures';
import { client, resources } from './support/resources';
import { buildRow, runPipeline, takeJob } from './support/runner-fixtures';
import { TestApp, createUser, startTestApp } from './support/test-app';

const WITH_TOKEN = 'deploy:\n  script: [x]\n  id_tokens:\n    TOKEN:\n      aud: https://verifier.example\n';
const DEVELOPER = 30;
const MAINTAINER = 40;

/**
 * What the pickup re-checks in the statement that claims a job, or from what that statement reads, so that no cache
 * and no state changed while the job waited makes a token lie (issue 14, items 4, 7 and 8).
 */
describe('pickup re-checks', () => {
  let a: TestApp;
  let b: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp();
    db = a.app.get(DataSource);
  });

  afterAll(async () => {
    await a.close();
    await b.close();
  });

  const issuancesOf = async (jobId: number) => db.query('SELECT jti FROM ci_id_token_issuances WHERE build_id = $1', [jobId]);
  const jobOf = async (pipelineId: number) =>
    (await db.query('SELECT id FROM ci_builds WHERE pipeline_id = $1', [pipelineId]))[0].id as number;

  describe('a paused or deleted runner (item 4)', () => {
    it('gets nothing from a replica that cached its session, once paused through another replica', async () => {
      const fixture = await createCiFixture(a, WITH_TOKEN);
      await requestJob(a, fixture.runnerToken).expect(204); // A now trusts the runner's session for 10 s
      const pipeline = await runPipeline(a, fixture.maintainer, fixture.projectId);
      const { id: runnerId } = (await db.query('SELECT id FROM ci_runners WHERE project_id = $1', [fixture.projectId]))[0];
      await client(b, fixture.maintainer).put(`/runners/${runnerId}`, { paused: true }).expect(200);

      const answer = await requestJob(a, fixture.runnerToken);
      expect([204, 403]).toContain(answer.status);
      const jobId = await jobOf(pipeline.id);
      expect(await buildRow(a, jobId)).toMatchObject({ status: 'pending', runner_id: null, token_digest: null });
      expect(await issuancesOf(jobId)).toEqual([]);
    });

    it('gets nothing once deleted or given a new token in the database, whatever a replica cached', async () => {
      for (const change of ['DELETE FROM ci_runners WHERE id = $1', "UPDATE ci_runners SET token_digest = 'reset-' || id WHERE id = $1"]) {
        const fixture = await createCiFixture(a, WITH_TOKEN);
        await requestJob(a, fixture.runnerToken).expect(204);
        const pipeline = await runPipeline(a, fixture.maintainer, fixture.projectId);
        const { id: runnerId } = (await db.query('SELECT id FROM ci_runners WHERE project_id = $1', [fixture.projectId]))[0];
        await db.query(change, [runnerId]);
        expect([204, 403]).toContain((await requestJob(a, fixture.runnerToken)).status);
        expect(await issuancesOf(await jobOf(pipeline.id))).toEqual([]);
      }
    });
  });

  describe('a job no longer pending (item 7)', () => {
    it('is never handed out, even when its queue row stayed', async () => {
      const fixture = await createCiFixture(a, WITH_TOKEN);
      const pipeline = await runPipeline(a, fixture.maintainer, fixture.projectId);
      const jobId = await jobOf(pipeline.id);
      await db.query(`UPDATE ci_builds SET status = 'canceled', finished_at = now() WHERE id = $1`, [jobId]);
      await requestJob(a, fixture.runnerToken).expect(204);
      expect(await buildRow(a, jobId)).toMatchObject({ status: 'canceled', runner_id: null, token_digest: null });
      expect(await issuancesOf(jobId)).toEqual([]);
      expect(await db.query('SELECT build_id FROM ci_pending_builds WHERE build_id = $1', [jobId])).toEqual([]);
    });
  });

  describe('a protected job whose user lost the right to run it (item 8)', () => {
    /** A group-owned project whose protected main a maintainer (not an owner) runs. */
    async function protectedMain() {
      const owner = await createUser(a, 'owner');
      const group = await resources(a).group(owner);
      const fixture = await createCiFixture(a, WITH_TOKEN, { groupId: group.id, owner });
      const member = await createUser(a, 'member');
      await resources(a).addMember(owner, `projects/${fixture.projectId}`, member, MAINTAINER);
      return { owner, member, fixture };
    }

    it('is dropped with protected_ref_access_revoked when its user was removed from the project', async () => {
      const { owner, member, fixture } = await protectedMain();
      const pipeline = await runPipeline(a, member, fixture.projectId);
      await client(a, owner).delete(`/projects/${fixture.projectId}/members/${member.id}`).expect(204);
      await requestJob(a, fixture.runnerToken).expect(204);
      const jobId = await jobOf(pipeline.id);
      expect(await buildRow(a, jobId)).toMatchObject({ status: 'failed', failure_reason: 'protected_ref_access_revoked', runner_id: null });
      expect(await issuancesOf(jobId)).toEqual([]);
    });

    it('is dropped when its user may no longer push to or merge into the protected ref', async () => {
      const { owner, member, fixture } = await protectedMain();
      await client(a, owner).put(`/projects/${fixture.projectId}/members/${member.id}`, { access_level: MAINTAINER }).expect(200);
      const pipeline = await runPipeline(a, member, fixture.projectId);
      await client(a, owner).put(`/projects/${fixture.projectId}/members/${member.id}`, { access_level: DEVELOPER }).expect(200);
      await requestJob(a, fixture.runnerToken).expect(204);
      expect(await buildRow(a, await jobOf(pipeline.id))).toMatchObject({
        status: 'failed',
        failure_reason: 'protected_ref_access_revoked',
      });
    });

    it('runs when its user still may, and an unprotected job of a removed user is not this check’s business', async () => {
      const { owner, member, fixture } = await protectedMain();
      await runPipeline(a, member, fixture.projectId);
      expect((await takeJob(a, fixture.runnerToken)).job_info.name).toBe('deploy');
      await client(a, owner).post(`/projects/${fixture.projectId}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
      const unprotected = await runPipeline(a, member, fixture.projectId, 'feature');
      await client(a, owner).delete(`/projects/${fixture.projectId}/members/${member.id}`).expect(204);
      await takeJob(a, fixture.runnerToken);
      expect(await buildRow(a, await jobOf(unprotected.id))).toMatchObject({ status: 'running' });
    });
  });
});
