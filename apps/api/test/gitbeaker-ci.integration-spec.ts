import { Gitlab } from '@gitbeaker/rest';
import { decodeJwt } from 'jose';
import { startListeningTestApp } from './support/listening-app';
import { takeJob, variableMap } from './support/runner-fixtures';
import { TestApp, uniqueName } from './support/test-app';

const CI = `deploy:
  stage: deploy
  script: ./deploy.sh
  environment: production
  id_tokens:
    VAULT_ID_TOKEN:
      aud: https://vault.example.com
  secrets:
    DB_PASSWORD:
      vault: production/db/password@kv
      token: $VAULT_ID_TOKEN
`;

/**
 * Issue 18, "Done when", with `@gitbeaker/rest` 43.8 unmodified: what a TypeScript pipeline-as-code tool calls to set a
 * project up for ID tokens (the README's walkthrough, through the client): protected environment and branch, CI/CD
 * variables, the committed file, lint, repository refs, environments, a fork and a merge request.
 */
describe('@gitbeaker/rest compatibility: setting a project up for ID tokens (issue 18)', () => {
  let api: TestApp & { readonly baseUrl: string };
  let root: InstanceType<typeof Gitlab>;

  beforeAll(async () => {
    api = await startListeningTestApp();
    root = new Gitlab({ host: api.baseUrl, token: api.rootToken });
  });

  afterAll(() => api.close());

  it('protects, configures, commits and lints through gitbeaker, and the job gets the README token', async () => {
    const suffix = uniqueName('gbci').toLowerCase();
    const group = await root.Groups.create(`acme-${suffix}`, `acme-${suffix}`);
    const project = await root.Projects.create({ name: 'app', namespaceId: group.id });
    await root.ProjectProtectedEnvironments.create(project.id, 'production', [{ accessLevel: 40 }]);
    expect(await root.ProjectProtectedEnvironments.show(project.id, 'production')).toMatchObject({
      name: 'production',
      deploy_access_levels: [expect.objectContaining({ access_level: 40 })],
    });
    await root.ProjectVariables.create(project.id, 'VAULT_SERVER_URL', 'https://vault.example.com');
    await root.GroupVariables.create(group.id, 'VAULT_AUTH_ROLE', 'app-production');
    expect((await root.ProjectVariables.all(project.id)).map((v) => v.key)).toEqual(['VAULT_SERVER_URL']);
    expect(await root.ProjectVariables.show(project.id, 'VAULT_SERVER_URL')).toMatchObject({ value: 'https://vault.example.com' });

    expect(await root.Lint.lint(project.id, CI)).toMatchObject({ valid: true, errors: [], warnings: [] });
    const runner = await root.Users.createCIRunner('project_type', { projectId: project.id });
    await root.RepositoryFiles.create(project.id, '.gitlab-ci.yml', 'main', CI, 'Deploy with ID tokens');
    expect(await root.RepositoryFiles.showRaw(project.id, '.gitlab-ci.yml', 'main')).toBe(CI);
    expect(await root.Lint.check(project.id, { dryRun: true })).toMatchObject({ valid: true });
    expect(await root.ProtectedBranches.show(project.id, 'main')).toMatchObject({ name: 'main' });

    const payload = await takeJob(api, runner.token as string);
    const claims = decodeJwt(variableMap(payload).get('VAULT_ID_TOKEN')!.value);
    expect(claims).toMatchObject({
      project_id: String(project.id),
      ref: 'main',
      ref_protected: 'true',
      environment: 'production',
      environment_protected: 'true',
      aud: 'https://vault.example.com',
    });
    expect((await root.Environments.all(project.id)).map((e) => e.name)).toEqual(['production']);
  });

  it('creates refs, a fork and a merge request with its pipelines through gitbeaker', async () => {
    const suffix = uniqueName('gbmr').toLowerCase();
    const project = await root.Projects.create({ name: `app-${suffix}` });
    await root.RepositoryFiles.create(project.id, 'README.md', 'main', 'hello\n', 'init');
    await root.Branches.create(project.id, 'feature', 'main');
    await root.Tags.create(project.id, 'v1.0.0', 'main');
    expect((await root.Branches.all(project.id)).map((b) => b.name).sort()).toEqual(['feature', 'main']);
    expect((await root.Tags.all(project.id)).map((t) => t.name)).toEqual(['v1.0.0']);
    await root.ProtectedTags.create(project.id, 'v*');
    expect((await root.ProtectedTags.all(project.id)).map((t) => t.name)).toEqual(['v*']);
    const commit = await root.Commits.show(project.id, 'main');
    expect(commit.id).toMatch(/^[0-9a-f]{40}$/);

    const fork = await root.Projects.fork(project.id, { path: `fork-${suffix}`, name: `fork-${suffix}`, namespacePath: 'root' });
    expect(fork).toMatchObject({ forked_from_project: expect.objectContaining({ id: project.id }) });
    expect((await root.Projects.allForks(project.id)).map((p) => p.id)).toEqual([fork.id]);

    const mr = await root.MergeRequests.create(project.id, 'feature', 'main', 'A feature');
    expect(await root.MergeRequests.show(project.id, mr.iid)).toMatchObject({ source_branch: 'feature', target_branch: 'main' });
    expect(await root.MergeRequests.allPipelines(project.id, mr.iid)).toEqual([]);
  });
});
