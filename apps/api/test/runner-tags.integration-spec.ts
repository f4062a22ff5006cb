import { createCiFixture, requestJob } from './support/ci-fixtures';
import { client, resources } from './support/resources';
import { createRunner, runPipeline, takeJob } from './support/runner-fixtures';
import { TestApp, createUser, startTestApp } from './support/test-app';

/**
 * Runner tags (issue 16), as GitLab's `Ci::Runner#accepting_tags?`: a job goes only to a runner whose `tag_list` holds
 * all its tags, and an untagged job only to a runner with `run_untagged`. The realistic file's jobs are matched in
 * runner-payload-keywords.integration-spec.ts.
 */
describe('runner tags', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  describe('matching', () => {
    it('keeps an untagged job from a runner with run_untagged false, and gives it to one with run_untagged', async () => {
      const owner = await createUser(api, 'payload-untagged');
      const fixture = await createCiFixture(api, 'job:\n  script: [make]\n', { owner });
      const scope = { runner_type: 'project_type', project_id: fixture.projectId } as const;
      const taggedOnly = await createRunner(api, owner, scope, { tag_list: ['docker'], run_untagged: false });
      await runPipeline(api, owner, fixture.projectId);
      await requestJob(api, taggedOnly.token).expect(204);
      expect((await takeJob(api, fixture.runnerToken)).job_info.name).toBe('job');
    });

    it('matches tags expanded when the pipeline is created, and follows a runner’s tags changed with PUT /runners/:id', async () => {
      const owner = await createUser(api, 'payload-tag-change');
      const yaml = 'variables:\n  ARCH: arm64\njob:\n  script: [make]\n  tags: [docker, "$ARCH"]\n';
      const fixture = await createCiFixture(api, yaml, { owner });
      const scope = { runner_type: 'project_type', project_id: fixture.projectId } as const;
      const runner = await createRunner(api, owner, scope, { tag_list: ['docker', '$ARCH'] });
      await runPipeline(api, owner, fixture.projectId);
      // The job needs `arm64`, not the literal `$ARCH`.
      await requestJob(api, runner.token).expect(204);
      const updated = await client(api, owner).put(`/runners/${runner.id}`, { tag_list: 'docker,arm64' }).expect(200);
      expect(updated.body).toMatchObject({ tag_list: ['docker', 'arm64'], run_untagged: true });
      expect((await takeJob(api, runner.token)).job_info.name).toBe('job');
    });
  });

  describe('runner tag attributes', () => {
    it('shows tag_list and run_untagged, and refuses a runner with neither tags nor untagged jobs as GitLab', async () => {
      const owner = await createUser(api, 'runner-tags');
      const fixture = await createCiFixture(api, 'job:\n  script: [make]\n', { owner });
      const scope = { runner_type: 'project_type', project_id: fixture.projectId } as const;
      const refusal = { message: { tags_list: ['can not be empty when runner is not allowed to pick untagged jobs'] } };
      await client(api, owner)
        .post('/user/runners', { ...scope, run_untagged: false })
        .expect(400, refusal);
      const runner = await createRunner(api, owner, scope, { tag_list: [' linux ', 'docker', 'linux', ''] });
      const shown = await client(api, owner).get(`/runners/${runner.id}`).expect(200);
      expect(shown.body).toMatchObject({ tag_list: ['linux', 'docker'], run_untagged: true });
      await client(api, owner).put(`/runners/${runner.id}`, { run_untagged: false }).expect(200);
      await client(api, owner).put(`/runners/${runner.id}`, { tag_list: [] }).expect(400, refusal);
      await client(api, owner)
        .put(`/runners/${runner.id}`, { tag_list: [1, 2] })
        .expect(400);
      const after = await client(api, owner).get(`/runners/${runner.id}`).expect(200);
      expect(after.body).toMatchObject({ tag_list: ['linux', 'docker'], run_untagged: false });
    });
  });

  it('matches a group runner on tags as a project runner', async () => {
    const owner = await createUser(api, 'tags-group');
    const group = await resources(api).group(owner);
    const fixture = await createCiFixture(api, 'job:\n  script: [make]\n  tags: [gpu]\n', { owner, groupId: group.id });
    const scope = { runner_type: 'group_type', group_id: group.id } as const;
    const plain = await createRunner(api, owner, scope);
    const gpu = await createRunner(api, owner, scope, { tag_list: ['gpu', 'linux'] });
    await runPipeline(api, owner, fixture.projectId);
    await requestJob(api, plain.token).expect(204);
    await requestJob(api, fixture.runnerToken).expect(204);
    expect((await takeJob(api, gpu.token)).job_info.name).toBe('job');
  });
});
