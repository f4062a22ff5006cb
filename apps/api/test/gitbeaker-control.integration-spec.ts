import { Gitlab, type JobScope } from '@gitbeaker/rest';
import { createCiFixture } from './support/ci-fixtures';
import { startListeningTestApp } from './support/listening-app';
import { patchTrace, updateJob } from './support/runner-protocol';
import { takeJob } from './support/runner-fixtures';
import { TestApp, createUser, uniqueName } from './support/test-app';

const CI = `build:
  stage: build
  script: make
test:
  stage: test
  script: make test
deploy:
  stage: deploy
  script: ./deploy
  when: manual
`;

/** GitLab's `UserBasic`: what a user who is not an admin sees of anyone in a list. */
const BASIC_FIELDS = ['avatar_url', 'id', 'locked', 'name', 'state', 'username', 'web_url'];

/**
 * Issue 18 with `@gitbeaker/rest` 43.8, unmodified: the user directory (`Users.all`, `Users.show`) and the job and
 * pipeline control endpoints (`Jobs.cancel`, `retry`, `erase`, `Jobs.all` by scope, `Pipelines.cancel`, `retry`).
 */
describe('@gitbeaker/rest: users and job control (issue 18)', () => {
  let api: TestApp & { readonly baseUrl: string };
  let root: InstanceType<typeof Gitlab>;

  beforeAll(async () => {
    api = await startListeningTestApp();
    root = new Gitlab({ host: api.baseUrl, token: api.rootToken });
  });

  afterAll(() => api.close());

  it('lists and shows users: admins see emails, anyone else the basic fields only', async () => {
    const tag = uniqueName('gbu').toLowerCase();
    const alice = await root.Users.create({ username: `${tag}-alice`, name: 'Alice', email: `${tag}-alice@example.com` });
    const bob = await root.Users.create({ username: `${tag}-bob`, name: 'Bob', email: `${tag}-bob@example.com` });
    const pat = await root.Users.createPersonalAccessToken(alice.id, 'gitbeaker', ['read_user']);
    const asAlice = new Gitlab({ host: api.baseUrl, token: pat.token as string });

    expect(await root.Users.all({ username: `${tag}-bob` })).toEqual([
      expect.objectContaining({ id: bob.id, email: `${tag}-bob@example.com`, is_admin: false }),
    ]);
    // An admin's order_by applies; anyone else's search is GitLab's relevance order (here: by name), whatever they ask.
    const byUsername = await root.Users.all({ search: tag, orderBy: 'username', sort: 'desc' });
    expect(byUsername.map((user) => user.id)).toEqual([bob.id, alice.id]);
    const listed = await asAlice.Users.all({ search: tag, active: true, orderBy: 'username', sort: 'desc' });
    expect(listed.map((user) => user.id)).toEqual([alice.id, bob.id]);
    for (const user of listed) expect(Object.keys(user).sort()).toEqual(BASIC_FIELDS);
    // gitbeaker walks every page by X-Next-Page.
    const paged = await asAlice.Users.all({ search: tag, perPage: 1, showExpanded: true });
    expect({ ids: paged.data.map((user) => user.id).sort(), total: paged.paginationInfo.total }).toEqual({
      ids: [alice.id, bob.id].sort(),
      total: 2,
    });
    expect(await asAlice.Users.show(bob.id)).not.toHaveProperty('email');
    expect(await asAlice.Users.showCurrentUser()).toMatchObject({ id: alice.id, email: `${tag}-alice@example.com` });
  });

  it('lists jobs by scope, cancels, retries and erases jobs, and retries and cancels pipelines', async () => {
    const owner = await createUser(api, 'gbjobs');
    const gitlab = new Gitlab({ host: api.baseUrl, token: owner.token });
    const fixture = await createCiFixture(api, CI, { owner });
    const projectId = fixture.projectId;
    // gitbeaker 43.8 types `scope` as one status, but sends a list as GitLab's `scope[]=…` (qs, brackets).
    const jobsIn = async (...scope: JobScope[]) =>
      (await gitlab.Jobs.all(projectId, { scope: scope as unknown as JobScope })).map((job) => [job.name, job.status]).sort();
    const pipeline = await gitlab.Pipelines.create(projectId, 'main');
    const waiting = await jobsIn('pending', 'created');

    // The runner runs build and test; deploy, a manual job of the last stage, then waits for someone to play it.
    const done: number[] = [];
    for (const log of ['$ make\n', '$ make test\n']) {
      const job = await takeJob(api, fixture.runnerToken);
      await patchTrace(api, job, 0, log).expect(202);
      await updateJob(api, job, { state: 'success', log }).expect(200);
      done.push(job.id);
    }
    const [buildId, testId] = done;
    const manual = await jobsIn('manual');

    const retried = await gitlab.Jobs.retry(projectId, testId);
    const canceled = await gitlab.Jobs.cancel(projectId, retried.id);
    const erased = await gitlab.Jobs.erase(projectId, buildId);
    const log = await gitlab.Jobs.showLog(projectId, buildId);
    expect({ waiting, manual }).toEqual({
      waiting: [
        ['build', 'pending'],
        ['deploy', 'created'],
        ['test', 'created'],
      ],
      manual: [['deploy', 'manual']],
    });
    expect({
      retried: [retried.name, retried.status, retried.id !== testId],
      canceled: [canceled.id, canceled.status],
      erased: [erased.id, erased.status, typeof erased.erased_at],
      log,
    }).toEqual({
      retried: ['test', 'pending', true],
      canceled: [retried.id, 'canceled'],
      erased: [buildId, 'success', 'string'],
      log: '',
    });

    const pipelineRetried = await gitlab.Pipelines.retry(projectId, pipeline.id);
    const pending = await jobsIn('pending');
    const pipelineCanceled = await gitlab.Pipelines.cancel(projectId, pipeline.id);
    expect({
      retried: [pipelineRetried.id, pipelineRetried.status],
      pending,
      canceled: [pipelineCanceled.id, pipelineCanceled.status],
      canceledJobs: await jobsIn('canceled'),
    }).toEqual({
      // Build passed and test waits again: GitLab's composite status of success and pending is running.
      retried: [pipeline.id, 'running'],
      pending: [['test', 'pending']],
      canceled: [pipeline.id, 'canceled'],
      canceledJobs: [
        ['test', 'canceled'],
        ['test', 'canceled'],
      ],
    });
  });
});
