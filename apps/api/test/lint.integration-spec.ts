import { DataSource } from 'typeorm';
import { client, resources } from './support/resources';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';
import { CiFixture, commitCiConfig, createCiFixture } from './support/ci-fixtures';
import { refusedFields } from './support/refusals';

const MB = 1024 * 1024;

const VALID = `
stages: [build, deploy]
.base:
  id_tokens:
    AWS_TOKEN:
      aud: sts.amazonaws.com
build:
  stage: build
  script: make
deploy:
  extends: .base
  stage: deploy
  script: ./deploy
  timeout: 10m
  environment: production
`;

const VAULT_WITHOUT_ID_TOKEN = 'deploy:\n  script: x\n  secrets:\n    DB:\n      vault: db/password@ops\n';

const billionLaughs = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]']
  .concat('bcdefghi'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`))
  .join('\n');

describe('CI lint API', () => {
  let api: TestApp;
  let fixture: CiFixture;
  let developer: TestUser;
  let reporter: TestUser;
  let outsider: TestUser;
  let base: string;

  beforeAll(async () => {
    api = await startTestApp();
    fixture = await createCiFixture(api, VALID);
    base = `/projects/${fixture.projectId}/ci/lint`;
    [developer, reporter, outsider] = await Promise.all(['dev', 'rep', 'out'].map((prefix) => createUser(api, prefix)));
    await resources(api).addMember(fixture.maintainer, `projects/${fixture.projectId}`, developer, 30);
    await resources(api).addMember(fixture.maintainer, `projects/${fixture.projectId}`, reporter, 20);
  });

  afterAll(() => api.close());

  const lint = (content: unknown, who: TestUser = developer, url = base) => client(api, who).post(url, { content, include_jobs: true });

  describe('POST', () => {
    it('answers a valid config with its merged YAML and jobs', async () => {
      const result = await lint(VALID).expect(200);
      expect(result.body).toEqual({
        valid: true,
        errors: [],
        warnings: [],
        merged_yaml: [
          'stages:\n  - build\n  - deploy',
          'build:\n  stage: build\n  script: make',
          'deploy:\n  id_tokens:\n    AWS_TOKEN:\n      aud: sts.amazonaws.com\n  stage: deploy\n  script: ./deploy\n  timeout: 10m\n  environment: production\n',
        ].join('\n'),
        includes: [],
        jobs: [
          expect.objectContaining({ name: 'build', stage: 'build', script: ['make'], environment: null, timeout: null, id_tokens: [] }),
          expect.objectContaining({
            name: 'deploy',
            stage: 'deploy',
            script: ['./deploy'],
            environment: 'production',
            timeout: 600,
            id_tokens: ['AWS_TOKEN'],
          }),
        ],
      });
    });

    it('lists the jobs only when include_jobs asks for them, as GitLab', async () => {
      const result = await client(api, developer).post(base, { content: VALID }).expect(200);
      expect(result.body).toMatchObject({ valid: true, errors: [] });
      expect(result.body).not.toHaveProperty('jobs');
      const listed = await lint(
        'build:\n  before_script: [a]\n  script: make\n  after_script: [b]\n  tags: [docker]\n  only: [main]\n',
      ).expect(200);
      expect(listed.body.jobs).toEqual([
        expect.objectContaining({
          name: 'build',
          stage: 'test',
          before_script: ['a'],
          script: ['make'],
          after_script: ['b'],
          tag_list: ['docker'],
          only: { refs: ['main'] },
          except: null,
          needs: null,
          when: 'on_success',
          allow_failure: false,
        }),
      ]);
    });

    it('accepts the progression keywords pipelines carry out, with each job’s when and allow_failure', async () => {
      const content = [
        'build:\n  script: make\n  retry: 2\n  resource_group: builds\n',
        'deploy:\n  script: ./deploy\n  when: manual\n  needs: [build]\n',
        'rollout:\n  script: ./rollout\n  when: delayed\n  start_in: 5 minutes\n  allow_failure: { exit_codes: [3] }\n',
      ].join('');
      const result = await lint(content).expect(200);
      expect(result.body).toMatchObject({ valid: true, errors: [] });
      expect(
        result.body.jobs.map((job: { name: string; when: string; allow_failure: boolean }) => [job.name, job.when, job.allow_failure]),
      ).toEqual([
        ['build', 'on_success', false],
        ['deploy', 'manual', true],
        ['rollout', 'delayed', false],
      ]);
    });

    it.each([
      [
        'A1',
        'deploy:\n  script: x\n  id_tokens:\n    AWS_TOKEN:\n      aud: a\n      foo: 1\n',
        ['jobs:deploy:id_tokens:AWS_TOKEN id token config contains unknown keys: foo'],
      ],
      [
        'A3',
        'deploy:\n  script: x\n  id_tokens:\n    TOK:\n      aud: [a, 5]\n',
        ['jobs:deploy:id_tokens:TOK id token aud should be an array of strings or a string'],
      ],
      ['A4', 'deploy:\n  script: x\n  id_tokens:\n    TOK:\n      aud: []\n', ['jobs:deploy:id_tokens:TOK id token aud must not be empty']],
      [
        'A6',
        'deploy:\n  script: x\n  id_tokens:\n    1TOK:\n      aud: a\n',
        ['jobs:deploy:id_tokens:1TOK invalid or reserved variable name'],
      ],
      [
        'A8',
        'deploy:\n  script: x\n  id_tokens: {T: {aud: a}}\n  secrets:\n    DB:\n      vault: a/b@c\n      token: $NOPE\n',
        ['jobs:deploy:secrets:DB token refers to undefined id token NOPE'],
      ],
      [
        'A10',
        'deploy:\n  script: x\n  jwt_claims:\n    project_path: mine\n',
        ['jobs:deploy:jwt_claims reserved claim name: project_path'],
      ],
      [
        'A11',
        'deploy:\n  script: x\n  jwt_claims:\n    build: 012345\n',
        ['jobs:deploy:jwt_claims:build claim values must be strings (quote them)'],
      ],
      [
        'a stage',
        'stages: [build]\ndeploy:\n  stage: ship\n  script: x\n',
        ['deploy job: chosen stage ship does not exist; available stages are .pre, build, .post'],
      ],
      ['a timeout', 'deploy:\n  script: x\n  timeout: forever\n', ['jobs:deploy:timeout config should be a duration']],
      ['an included file that does not exist', 'include: other.yml\ndeploy:\n  script: x\n', ['Local file `other.yml` does not exist!']],
      [
        'an include type Lanyard does not build',
        'include:\n  template: Auto-DevOps.gitlab-ci.yml\ndeploy:\n  script: x\n',
        ['include:template is not supported by Lanyard (`Auto-DevOps.gitlab-ci.yml`); use include:local or include:project'],
      ],
      ['no jobs', 'stages: [build]\n', ['jobs config should contain at least one visible job']],
      ['blank content', '', ['Please provide content of .gitlab-ci.yml']],
    ])('reports %s with GitLab’s wording', async (_case, content, errors) => {
      const result = await lint(content).expect(200);
      expect(result.body).toMatchObject({ valid: false, errors, jobs: [] });
    });

    it('reports a warning without making the config invalid', async () => {
      const content = 'deploy:\n  script: x\n  id_tokens: {A: {aud: a}, B: {aud: b}}\n  secrets:\n    DB:\n      vault: a/b@c\n';
      const result = await lint(content).expect(200);
      expect(result.body).toMatchObject({
        valid: true,
        errors: [],
        warnings: ['jobs:deploy:secrets:DB has no token: and the job has several id tokens; the first, A, is used'],
      });
    });

    it.each([
      ['just over 1 MB', `job: {script: x}\n#${'x'.repeat(MB)}`],
      ['1 MB in two-byte characters', `job: {script: x}\n#${'é'.repeat(MB / 2 + 1)}`],
      ['1.5 MB', `job: {script: x}\n#${'x'.repeat(1.5 * MB)}`],
    ])('reports a config of %s as too large, not as a failed request', async (_case, content) => {
      const result = await lint(content).expect(200);
      expect(result.body).toMatchObject({ valid: false, errors: ['config is too large (max 1 MB)'], merged_yaml: null, jobs: [] });
    });

    it('refuses a request body beyond the server’s limit with 413', async () => {
      await lint('x'.repeat(3 * MB)).expect(413);
    });

    // No timing assertion: an expanded alias bomb would exhaust memory or the test's timeout long before answering.
    it('reports an alias bomb instead of expanding it', async () => {
      const result = await lint(billionLaughs).expect(200);
      expect(result.body).toMatchObject({ valid: false, errors: ['config uses too many YAML alias expansions (max 100 per anchor)'] });
    });

    it('reports nesting too deep for the parser', async () => {
      const result = await lint(`job: {script: x, variables: ${'['.repeat(5000)}${']'.repeat(5000)}}`).expect(200);
      expect(result.body).toMatchObject({ valid: false, errors: ['config is nested too deeply (max 50 levels)'] });
    });

    it.each([[42], [['a: b']], [{ job: { script: 'x' } }], [null], [undefined]])(
      'refuses content %j with 400 naming content',
      async (content) => {
        const result = await lint(content).expect(400);
        expect(refusedFields(result.body)).toEqual(['content']);
      },
    );

    it('refuses malformed optional parameters with 400 naming them', async () => {
      const as = client(api, developer);
      expect(refusedFields((await as.post(base, { content: VALID, dry_run: 'maybe' }).expect(400)).body)).toEqual(['dry_run']);
      expect(refusedFields((await as.post(base, { content: VALID, include_jobs: 3 }).expect(400)).body)).toEqual(['include_jobs']);
      expect(refusedFields((await as.post(base, { content: VALID, ref: 7 }).expect(400)).body)).toEqual(['ref']);
      await as.post(base, { content: VALID, dry_run: 'true', include_jobs: false, ref: 'main', include_merged_yaml: true }).expect(200);
    });

    it("applies the project's opt_in_jwt: a Vault secret needs an id token only while it is on", async () => {
      const own = await createCiFixture(api, VALID, { owner: fixture.maintainer });
      const url = `/projects/${own.projectId}/ci/lint`;
      const on = await lint(VAULT_WITHOUT_ID_TOKEN, fixture.maintainer, url).expect(200);
      expect(on.body).toMatchObject({
        valid: false,
        errors: ['jobs:deploy:secrets:DB needs an id token to authenticate with Vault: define id_tokens in the job or in default'],
      });
      await api.app
        .get(DataSource)
        .query('INSERT INTO project_ci_cd_settings (project_id, opt_in_jwt) VALUES ($1, false)', [own.projectId]);
      const off = await lint(VAULT_WITHOUT_ID_TOKEN, fixture.maintainer, url).expect(200);
      expect(off.body).toMatchObject({
        valid: true,
        errors: [],
        warnings: ['jobs:deploy:secrets:DB authenticates with the deprecated CI_JOB_JWT; define id_tokens instead'],
      });
    });
  });

  describe('GET', () => {
    it('lints the default branch, or the ref given', async () => {
      const own = await createCiFixture(api, VALID, { owner: fixture.maintainer });
      const as = client(api, fixture.maintainer);
      await as.post(`/projects/${own.projectId}/repository/branches`, { branch: 'broken', ref: 'main' }).expect(201);
      await commitCiConfig(api, fixture.maintainer, own.projectId, 'deploy:\n  stage: ship\n  script: x\n', 'broken');

      const main = await as.get(`/projects/${own.projectId}/ci/lint?include_jobs=true`).expect(200);
      expect(main.body).toMatchObject({ valid: true, errors: [], jobs: [{ name: 'build' }, { name: 'deploy' }] });
      const broken = await as.get(`/projects/${own.projectId}/ci/lint?ref=broken`).expect(200);
      expect(broken.body).toMatchObject({
        valid: false,
        errors: ['deploy job: chosen stage ship does not exist; available stages are .pre, build, test, deploy, .post'],
      });
      const bySha = await as.get(`/projects/${own.projectId}/repository/branches/broken`).expect(200);
      await as.get(`/projects/${own.projectId}/ci/lint?ref=${bySha.body.commit.id}`).expect(200, broken.body);
      // GitLab's own names for the revision to read, which win over ref.
      await as.get(`/projects/${own.projectId}/ci/lint?content_ref=broken&ref=main`).expect(200, broken.body);
      await as.get(`/projects/${own.projectId}/ci/lint?sha=${bySha.body.commit.id}`).expect(200, broken.body);
    });

    it('answers 404 when the ref or its .gitlab-ci.yml does not exist', async () => {
      const as = client(api, fixture.maintainer);
      await as.get(`${base}?ref=no-such-branch`).expect(404);
      const empty = await resources(api).project(fixture.maintainer);
      await as.get(`/projects/${empty.id}/ci/lint`).expect(404);
      await as.post(`/projects/${empty.id}/repository/files/README.md`, { branch: 'main', content: 'x', commit_message: 'x' }).expect(201);
      await as.get(`/projects/${empty.id}/ci/lint`).expect(404);
    });
  });

  it('lets developers lint, and answers 403 to reporters, 404 to outsiders and 401 without a token', async () => {
    await lint(VALID, fixture.maintainer).expect(200);
    await client(api, developer).get(base).expect(200);
    expect((await lint(VALID, reporter).expect(403)).body).toEqual({ message: '403 Forbidden' });
    await client(api, reporter).get(base).expect(403);
    expect((await lint(VALID, outsider).expect(404)).body).toEqual({ message: '404 Project Not Found' });
    await client(api, outsider).get(base).expect(404);
    await api.http.post(`/api/v4${base}`).send({ content: VALID }).expect(401);
    await api.http.get(`/api/v4${base}`).expect(401);
  });
});
