import { DataSource } from 'typeorm';
import { DelayedJobsScheduler } from '../src/pipelines/delayed-jobs.scheduler';
import { CiFixture, createCiFixture, requestJob } from './support/ci-fixtures';
import { client, resources } from './support/resources';
import { JobPayload, runPipeline, takeJob } from './support/runner-fixtures';
import { TestApp, createUser, startTestApp } from './support/test-app';
import { TestClock } from './support/test-clock';

interface JobJson {
  id: number;
  name: string;
  status: string;
}

/** Delayed jobs on the injected clock, automatic retries, and resource groups. */
describe('Delayed jobs, retry and resource_group', () => {
  const clock = new TestClock();
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({}, { clock });
  });

  afterAll(() => api.close());

  const jobsOf = async (fixture: CiFixture, pipelineId: number, query = ''): Promise<JobJson[]> =>
    (await client(api, fixture.maintainer).get(`/projects/${fixture.projectId}/pipelines/${pipelineId}/jobs${query}`).expect(200)).body;
  const pipelineStatus = async (fixture: CiFixture, pipelineId: number) =>
    (await client(api, fixture.maintainer).get(`/projects/${fixture.projectId}/pipelines/${pipelineId}`).expect(200)).body.status;
  const finish = (job: JobPayload, state: 'success' | 'failed', extra: object = {}) =>
    api.http
      .put(`/api/v4/jobs/${job.id}`)
      .send({ token: job.token, state, ...extra })
      .expect(200);
  const scheduledAt = async (buildId: number): Promise<Date> =>
    (await api.app.get(DataSource).query('SELECT scheduled_at FROM ci_builds WHERE id = $1', [buildId]))[0].scheduled_at;

  describe('when: delayed', () => {
    it('schedules the job start_in after it could start, and starts it once the clock gets there', async () => {
      const fixture = await createCiFixture(
        api,
        'stages: [build, deploy]\nbuild: { stage: build, script: b }\nrollout:\n  stage: deploy\n  script: r\n  when: delayed\n  start_in: 30 minutes\n',
      );
      const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
      clock.advance(60);
      const built = await takeJob(api, fixture.runnerToken);
      const finishedAt = clock.now().getTime();
      await finish(built, 'success');
      const [, rollout] = await jobsOf(fixture, pipeline.id);
      expect(rollout.status).toBe('scheduled');
      expect((await scheduledAt(rollout.id)).getTime()).toBe(finishedAt + 30 * 60_000);
      expect(await pipelineStatus(fixture, pipeline.id)).toBe('scheduled');

      const scheduler = api.app.get(DelayedJobsScheduler);
      clock.advance(29 * 60);
      await scheduler.startDue();
      expect((await jobsOf(fixture, pipeline.id))[1].status).toBe('scheduled');
      await requestJob(api, fixture.runnerToken).expect(204);

      clock.advance(60);
      await scheduler.startDue();
      expect((await jobsOf(fixture, pipeline.id))[1].status).toBe('pending');
      const taken = await takeJob(api, fixture.runnerToken);
      expect(taken.id).toBe(rollout.id);
      await finish(taken, 'success');
      expect(await pipelineStatus(fixture, pipeline.id)).toBe('success');
    });

    it('is started by the service’s own scheduler, without anyone asking', async () => {
      const fixture = await createCiFixture(api, 'rollout:\n  script: r\n  when: delayed\n  start_in: 10 seconds\n');
      const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
      clock.advance(10);
      const deadline = Date.now() + 15_000;
      let status = 'scheduled';
      while (status === 'scheduled' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        status = (await jobsOf(fixture, pipeline.id))[0].status;
      }
      expect(status).toBe('pending');
      await finish(await takeJob(api, fixture.runnerToken), 'success');
    });

    it('starts a delayed job at once when a developer plays it', async () => {
      const fixture = await createCiFixture(api, 'rollout:\n  script: r\n  when: delayed\n  start_in: 1 day\n');
      const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
      const [rollout] = await jobsOf(fixture, pipeline.id);
      expect(rollout.status).toBe('scheduled');
      const played = await client(api, fixture.maintainer).post(`/projects/${fixture.projectId}/jobs/${rollout.id}/play`).expect(200);
      expect(played.body.status).toBe('pending');
      expect((await takeJob(api, fixture.runnerToken)).id).toBe(rollout.id);
    });
  });

  describe('retry', () => {
    it('retries a failed job as a new job, up to max, then fails the pipeline', async () => {
      const fixture = await createCiFixture(
        api,
        'stages: [test, deploy]\ntest: { stage: test, script: t, retry: 2 }\ndeploy: { stage: deploy, script: d }\n',
      );
      const pipeline = await runPipeline(api, fixture.maintainer, fixture.projectId);
      const first = await takeJob(api, fixture.runnerToken);
      await finish(first, 'failed', { failure_reason: 'script_failure' });

      const afterOne = await jobsOf(fixture, pipeline.id);
      expect(afterOne.map((job) => [job.name, job.status])).toEqual([
        ['deploy', 'created'],
        ['test', 'pending'],
      ]);
      const retried = afterOne.find((job) => job.name === 'test')!;
      expect(retried.id).toBeGreaterThan(first.id);
      expect(await pipelineStatus(fixture, pipeline.id)).not.toBe('failed');
      const all = await jobsOf(fixture, pipeline.id, '?include_retried=true');
      expect(all.map((job) => [job.id, job.status])).toContainEqual([first.id, 'failed']);

      const second = await takeJob(api, fixture.runnerToken);
      expect(second.id).toBe(retried.id);
      await finish(second, 'failed', { failure_reason: 'script_failure' });
      const third = await takeJob(api, fixture.runnerToken);
      await finish(third, 'failed', { failure_reason: 'script_failure' });

      await requestJob(api, fixture.runnerToken).expect(204);
      expect((await jobsOf(fixture, pipeline.id, '?include_retried=true')).filter((job) => job.name === 'test')).toHaveLength(3);
      expect((await jobsOf(fixture, pipeline.id)).map((job) => [job.name, job.status])).toEqual([
        ['deploy', 'skipped'],
        ['test', 'failed'],
      ]);
      expect(await pipelineStatus(fixture, pipeline.id)).toBe('failed');
    });

    it('retries only on the failure reasons and exit codes retry names', async () => {
      const fixture = await createCiFixture(
        api,
        'test:\n  script: t\n  retry:\n    max: 1\n    when: [runner_system_failure, script_failure]\n    exit_codes: [137]\n',
      );
      const byReason = await runPipeline(api, fixture.maintainer, fixture.projectId);
      await finish(await takeJob(api, fixture.runnerToken), 'failed', { failure_reason: 'stuck_or_timeout_failure', exit_code: 137 });
      expect(await pipelineStatus(fixture, byReason.id)).toBe('failed');

      const byExitCode = await runPipeline(api, fixture.maintainer, fixture.projectId);
      await finish(await takeJob(api, fixture.runnerToken), 'failed', { failure_reason: 'script_failure', exit_code: 1 });
      expect(await pipelineStatus(fixture, byExitCode.id)).toBe('failed');

      const retried = await runPipeline(api, fixture.maintainer, fixture.projectId);
      await finish(await takeJob(api, fixture.runnerToken), 'failed', { failure_reason: 'script_failure', exit_code: 137 });
      const copy = await takeJob(api, fixture.runnerToken);
      expect(copy.job_info.pipeline_id).toBe(retried.id);
      await finish(copy, 'success');
      expect(await pipelineStatus(fixture, retried.id)).toBe('success');
    });

    it('gives a later job the artifacts of the retried job’s latest copy only', async () => {
      const fixture = await createCiFixture(
        api,
        'stages: [build, test]\nbuild: { stage: build, script: b, retry: 1 }\ntest: { stage: test, script: t }\n',
      );
      await runPipeline(api, fixture.maintainer, fixture.projectId);
      await finish(await takeJob(api, fixture.runnerToken), 'failed', { failure_reason: 'script_failure' });
      const copy = await takeJob(api, fixture.runnerToken);
      await finish(copy, 'success');
      const test = await takeJob(api, fixture.runnerToken);
      expect((test.dependencies as { id: number; name: string }[]).map((d) => [d.id, d.name])).toEqual([[copy.id, 'build']]);
    });
  });

  describe('resource_group', () => {
    it('lets one job of a group run at a time; the next waits for the resource, then is queued', async () => {
      const fixture = await createCiFixture(api, 'deploy:\n  script: d\n  resource_group: production\n');
      const first = await runPipeline(api, fixture.maintainer, fixture.projectId);
      const second = await runPipeline(api, fixture.maintainer, fixture.projectId);
      const [firstJob] = await jobsOf(fixture, first.id);
      const [secondJob] = await jobsOf(fixture, second.id);
      expect([firstJob.status, secondJob.status]).toEqual(['pending', 'waiting_for_resource']);
      expect(await pipelineStatus(fixture, second.id)).toBe('pending');

      const running = await takeJob(api, fixture.runnerToken);
      expect(running.id).toBe(firstJob.id);
      await requestJob(api, fixture.runnerToken).expect(204);
      await finish(running, 'failed', { failure_reason: 'script_failure' });

      expect((await jobsOf(fixture, second.id))[0].status).toBe('pending');
      const next = await takeJob(api, fixture.runnerToken);
      expect(next.id).toBe(secondJob.id);
      await finish(next, 'success');
      expect(await pipelineStatus(fixture, second.id)).toBe('success');
    });

    it('never queues two jobs of a group at once, however many pipelines start together', async () => {
      const fixture = await createCiFixture(api, 'deploy:\n  script: d\n  resource_group: production\n');
      const pipelines = await Promise.all(Array.from({ length: 6 }, () => runPipeline(api, fixture.maintainer, fixture.projectId)));
      const holding = async () =>
        (
          await api.app
            .get(DataSource)
            .query(`SELECT count(*)::int AS n FROM ci_builds WHERE project_id = $1 AND status IN ('pending', 'running')`, [
              fixture.projectId,
            ])
        )[0].n;
      for (let done = 0; done < pipelines.length; done += 1) {
        expect(await holding()).toBe(1);
        const job = await takeJob(api, fixture.runnerToken);
        await requestJob(api, fixture.runnerToken).expect(204);
        await finish(job, 'success');
      }
      expect(await holding()).toBe(0);
      const statuses = await Promise.all(pipelines.map((pipeline) => pipelineStatus(fixture, pipeline.id)));
      expect(statuses).toEqual(pipelines.map(() => 'success'));
    });

    it('expands variables in the group key when the pipeline is created: one group per branch here', async () => {
      const fixture = await createCiFixture(api, 'deploy:\n  script: d\n  resource_group: deploy-$CI_COMMIT_REF_NAME$UNKNOWN\n');
      await client(api, fixture.maintainer)
        .post(`/projects/${fixture.projectId}/repository/branches`, { branch: 'feature', ref: 'main' })
        .expect(201);
      const onMain = await runPipeline(api, fixture.maintainer, fixture.projectId);
      const againOnMain = await runPipeline(api, fixture.maintainer, fixture.projectId);
      const onFeature = await runPipeline(api, fixture.maintainer, fixture.projectId, 'feature');
      const status = async (pipelineId: number) => (await jobsOf(fixture, pipelineId))[0].status;
      expect([await status(onMain.id), await status(againOnMain.id), await status(onFeature.id)]).toEqual([
        'pending',
        'waiting_for_resource',
        'pending',
      ]);
      const keys = await api.app
        .get(DataSource)
        .query('SELECT key FROM ci_resource_groups WHERE project_id = $1 ORDER BY key', [fixture.projectId]);
      expect(keys).toEqual([{ key: 'deploy-feature' }, { key: 'deploy-main' }]);
      for (let i = 0; i < 3; i += 1) await finish(await takeJob(api, fixture.runnerToken), 'success');
    });

    it('frees the group when Lanyard drops the holding job at pickup, so the next one is not left waiting', async () => {
      const fixture = await createCiFixture(api, 'deploy:\n  script: d\n  resource_group: production\n  environment: production\n');
      const base = `/projects/${fixture.projectId}`;
      const deployer = await createUser(api, 'deployer');
      await resources(api).addMember(fixture.maintainer, base.slice(1) as `projects/${number}`, deployer, 40);
      const as = client(api, fixture.maintainer);
      await as.post(`${base}/protected_environments`, { name: 'production', deploy_access_levels: [{ access_level: 40 }] }).expect(201);
      const first = await runPipeline(api, deployer, fixture.projectId);
      const second = await runPipeline(api, fixture.maintainer, fixture.projectId);
      const [held] = await jobsOf(fixture, first.id);
      const [waiting] = await jobsOf(fixture, second.id);
      expect([held.status, waiting.status]).toEqual(['pending', 'waiting_for_resource']);
      await as.put(`${base}/members/${deployer.id}`, { access_level: 30 }).expect(200);

      const taken = await takeJob(api, fixture.runnerToken);
      expect(taken.id).toBe(waiting.id);
      expect((await jobsOf(fixture, first.id))[0].status).toBe('failed');
    });
  });
});
