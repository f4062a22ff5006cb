import { client, resources } from './support/resources';
import { commitCiConfig } from './support/ci-fixtures';
import { branchHead, commitFile } from './support/repository-fixtures';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const NOT_FOUND = (path: string) =>
  `Project \`${path}\` not found or access denied! Make sure any includes in the pipeline configuration are correctly defined.`;

describe('include: in .gitlab-ci.yml (issue 16)', () => {
  let api: TestApp;
  let owner: TestUser;
  let stranger: TestUser;
  let app: { id: number; path_with_namespace: string };
  let lib: { id: number; path_with_namespace: string };
  let secret: { id: number; path_with_namespace: string };

  const skipCi = (path: string) => ({ commit_message: `Add ${path} [skip ci]` });
  const createPipeline = (projectId: number, who: TestUser = owner) =>
    client(api, who).post(`/projects/${projectId}/pipeline`, { ref: 'main' });
  const jobNames = async (projectId: number, pipelineId: number) =>
    (await client(api, owner).get(`/projects/${projectId}/pipelines/${pipelineId}/jobs`).expect(200)).body.map(
      (job: { name: string }) => job.name,
    );

  beforeAll(async () => {
    api = await startTestApp();
    [owner, stranger] = await Promise.all([createUser(api, 'inc-owner'), createUser(api, 'inc-stranger')]);
    app = await resources(api).project(owner, { visibility: 'private' });
    lib = await resources(api).project(owner, { visibility: 'private' });
    // Someone else's private project: its name is all a config can know of it.
    secret = await resources(api).project(stranger, { visibility: 'private' });

    await commitFile(api, owner, app.id, 'ci/build.yml', 'build:\n  stage: build\n  script: make\n', 'main', skipCi('build'));
    await commitFile(api, owner, app.id, 'ci/test.yml', 'test:\n  stage: test\n  script: make test\n', 'main', skipCi('test'));
    await commitFile(api, owner, lib.id, 'templates/deploy.yml', 'deploy:\n  stage: deploy\n  script: ./deploy-from-main\n');
    await client(api, owner).post(`/projects/${lib.id}/repository/branches`, { branch: 'v1', ref: 'main' }).expect(201);
    await client(api, owner)
      .put(`/projects/${lib.id}/repository/files/${encodeURIComponent('templates/deploy.yml')}`, {
        branch: 'v1',
        content: 'deploy:\n  stage: deploy\n  script: ./deploy-v1\n',
        commit_message: 'v1 deploy',
      })
      .expect(200);
    await commitFile(api, stranger, secret.id, 'ci/secret.yml', 'leak:\n  script: echo TOP-SECRET-VALUE\n');
  });

  afterAll(() => api.close());

  const config = (project: string, ref = 'v1') =>
    [
      'include:',
      '  - local: /ci/build.yml',
      '  - ci/test.yml',
      `  - project: ${project}`,
      `    ref: ${ref}`,
      '    file: /templates/deploy.yml',
      'stages: [build, test, deploy]',
      '',
    ].join('\n');

  it('creates a pipeline from two local files and one of another project at a ref', async () => {
    await commitCiConfig(api, owner, app.id, config(lib.path_with_namespace), 'main');
    const created = await createPipeline(app.id).expect(201);
    expect(await jobNames(app.id, created.body.id)).toEqual(['build', 'test', 'deploy']);

    // The lint shows what was merged, from the ref asked for, and where each file came from.
    const linted = (await client(api, owner).get(`/projects/${app.id}/ci/lint`).expect(200)).body;
    expect(linted.valid).toBe(true);
    expect(linted.merged_yaml).toContain('./deploy-v1');
    expect(linted.merged_yaml).not.toContain('deploy-from-main');
    expect(linted.merged_yaml).not.toContain('include');
    const appSha = await branchHead(api, owner, app.id, 'main');
    const libSha = await branchHead(api, owner, lib.id, 'v1');
    expect(linted.includes).toEqual([
      {
        type: 'local',
        location: 'ci/build.yml',
        blob: expect.stringMatching(new RegExp(`/${app.path_with_namespace}/-/blob/${appSha}/ci/build.yml$`)),
        raw: expect.stringMatching(new RegExp(`/${app.path_with_namespace}/-/raw/${appSha}/ci/build.yml$`)),
        extra: {},
        context_project: app.path_with_namespace,
        context_sha: appSha,
      },
      expect.objectContaining({ type: 'local', location: 'ci/test.yml', context_sha: appSha }),
      {
        type: 'file',
        location: 'templates/deploy.yml',
        blob: expect.stringMatching(new RegExp(`/${lib.path_with_namespace}/-/blob/${libSha}/templates/deploy.yml$`)),
        raw: expect.stringMatching(new RegExp(`/${lib.path_with_namespace}/-/raw/${libSha}/templates/deploy.yml$`)),
        extra: { project: lib.path_with_namespace.toLowerCase(), ref: 'v1' },
        context_project: app.path_with_namespace,
        context_sha: appSha,
      },
    ]);
  });

  it('reads another project at its default branch when no ref is given', async () => {
    const content = `include:\n  project: ${lib.path_with_namespace}\n  file: templates/deploy.yml\n`;
    const linted = (await client(api, owner).post(`/projects/${app.id}/ci/lint`, { content, include_jobs: true }).expect(200)).body;
    expect(linted).toMatchObject({ valid: true, errors: [] });
    expect(linted.merged_yaml).toContain('./deploy-from-main');
    expect(linted.includes).toEqual([
      expect.objectContaining({ type: 'file', extra: { project: lib.path_with_namespace.toLowerCase(), ref: 'HEAD' } }),
    ]);
  });

  it('expands local wildcards against the commit’s files, and reads a public project without membership', async () => {
    const open = await resources(api).project(stranger, { visibility: 'public' });
    await commitFile(api, stranger, open.id, 'shared.yml', 'shared:\n  script: echo shared\n');
    const content = `include:\n  - local: 'ci/*.yml'\n  - project: ${open.path_with_namespace}\n    file: shared.yml\n`;
    const linted = (await client(api, owner).post(`/projects/${app.id}/ci/lint`, { content, include_jobs: true }).expect(200)).body;
    expect(linted).toMatchObject({ valid: true, errors: [] });
    expect(linted.includes.map((file: { location: string }) => file.location)).toEqual(['ci/build.yml', 'ci/test.yml', 'shared.yml']);
    expect(linted.jobs.map((job: { name: string }) => job.name)).toEqual(['build', 'test', 'shared']);
  });

  it('creates the pipeline of a push whose configuration includes files', async () => {
    const pushed = await resources(api).project(owner, { visibility: 'private' });
    await commitFile(api, owner, pushed.id, 'ci/jobs.yml', 'pushed-job:\n  script: x\n', 'main', skipCi('jobs'));
    await commitFile(api, owner, pushed.id, '.gitlab-ci.yml', 'include: ci/jobs.yml\n');
    const pipelines = (await client(api, owner).get(`/projects/${pushed.id}/pipelines`).expect(200)).body;
    expect(pipelines).toHaveLength(1);
    expect(await jobNames(pushed.id, pipelines[0].id)).toEqual(['pushed-job']);
  });

  it('runs a monorepo’s file: per-service files by wildcard, shared templates, extends and needs across files', async () => {
    const mono = await resources(api).project(owner, { visibility: 'private' });
    const files: Record<string, string> = {
      'ci/templates.yml': '.build:\n  stage: build\n  script: make build\n.test:\n  stage: test\n  script: make test\n',
      'services/api/ci.yml': 'build-api:\n  extends: .build\ntest-api:\n  extends: .test\n  needs: [build-api]\n',
      'services/web/ci.yml': 'build-web:\n  extends: .build\ntest-web:\n  extends: .test\n  needs: [build-web]\n',
      'services/web/README.md': 'not included',
    };
    for (const [path, content] of Object.entries(files)) await commitFile(api, owner, mono.id, path, content, 'main', skipCi(path));
    const config = [
      'stages: [build, test, deploy]',
      'include:',
      "  - local: 'services/**/ci.yml'",
      '  - local: ci/templates.yml',
      'deploy:',
      '  stage: deploy',
      '  script: ./deploy',
      '  needs: [test-api, test-web]',
      '',
    ].join('\n');
    await commitCiConfig(api, owner, mono.id, config, 'main');
    const created = await createPipeline(mono.id).expect(201);
    expect((await jobNames(mono.id, created.body.id)).sort()).toEqual(['build-api', 'build-web', 'deploy', 'test-api', 'test-web']);
    const linted = (await client(api, owner).get(`/projects/${mono.id}/ci/lint`).expect(200)).body;
    expect(linted.includes.map((file: { location: string }) => file.location)).toEqual([
      'services/api/ci.yml',
      'services/web/ci.yml',
      'ci/templates.yml',
    ]);
  });

  describe('an include of a project the pipeline’s user cannot read', () => {
    let attacker: TestUser;
    let attackerApp: { id: number };

    beforeAll(async () => {
      attacker = await createUser(api, 'inc-attacker');
      attackerApp = await resources(api).project(attacker, { visibility: 'private' });
      await commitFile(api, attacker, attackerApp.id, 'ci/build.yml', 'build:\n  stage: build\n  script: make\n', 'main', skipCi('b'));
      await commitFile(api, attacker, attackerApp.id, 'ci/test.yml', 'test:\n  stage: test\n  script: make\n', 'main', skipCi('t'));
    });

    it.each([
      ['a private project', () => secret.path_with_namespace, 'main'],
      ['a project that does not exist', () => `${secret.path_with_namespace}-nope`, 'main'],
      ['a private project, at a ref that does not exist', () => secret.path_with_namespace, 'no-such-ref'],
    ])('fails on %s with GitLab’s not-found message and leaks nothing', async (_case, path, ref) => {
      await commitCiConfig(api, attacker, attackerApp.id, config(path(), ref).replace('/templates/deploy.yml', '/ci/secret.yml'), 'main');
      const refused = await createPipeline(attackerApp.id, attacker).expect(400);
      expect(refused.body).toEqual({ message: { base: [NOT_FOUND(path().toLowerCase())] } });
      expect(JSON.stringify(refused.body)).not.toContain('TOP-SECRET');

      const linted = (await client(api, attacker).get(`/projects/${attackerApp.id}/ci/lint`).expect(200)).body;
      expect(linted).toMatchObject({ valid: false, errors: [NOT_FOUND(path().toLowerCase())], includes: [], merged_yaml: null });
      expect(JSON.stringify(linted)).not.toContain('TOP-SECRET');
    });

    it('fails for a guest of the private project too, and works once the user may read its code', async () => {
      const content = `include:\n  project: ${secret.path_with_namespace}\n  file: ci/secret.yml\n`;
      const lint = () => client(api, attacker).post(`/projects/${attackerApp.id}/ci/lint`, { content, include_jobs: true }).expect(200);
      await resources(api).addMember(stranger, `projects/${secret.id}`, attacker, 10);
      expect((await lint()).body.errors).toEqual([NOT_FOUND(secret.path_with_namespace.toLowerCase())]);
      await client(api, stranger).put(`/projects/${secret.id}/members/${attacker.id}`, { access_level: 20 }).expect(200);
      expect((await lint()).body).toMatchObject({ valid: true, jobs: [expect.objectContaining({ name: 'leak' })] });
    });
  });

  it('refuses an include loop at GitLab’s limit, and include:remote by name', async () => {
    await commitFile(api, owner, app.id, 'loop/a.yml', 'include: loop/b.yml\n', 'main', skipCi('a'));
    await commitFile(api, owner, app.id, 'loop/b.yml', 'include: loop/a.yml\nx:\n  script: x\n', 'main', skipCi('b'));
    const lint = (content: string) => client(api, owner).post(`/projects/${app.id}/ci/lint`, { content }).expect(200);
    expect((await lint('include: loop/a.yml\n')).body.errors).toEqual(['Maximum of 150 nested includes are allowed!']);
    expect((await lint('include: https://example.com/ci.yml\n')).body.errors).toEqual([
      'include:remote is not supported by Lanyard (`https://example.com/ci.yml`); use include:local or include:project',
    ]);
  });
});
