import { DataSource } from 'typeorm';
import { client } from './support/resources';
import { TestApp, startTestApp } from './support/test-app';
import { CiFixture, commitCiConfig, createCiFixture } from './support/ci-fixtures';
import { refusedFields } from './support/refusals';

const VALID = 'build:\n  script: make\n  environment: production\n';

const VAULT_WITHOUT_ID_TOKEN = `
deploy:
  script: ./deploy
  secrets:
    DB_PASSWORD:
      vault: production/db/password@ops
`;

describe('Pipelines API: what is refused, and that nothing is stored then', () => {
  let api: TestApp;
  let fixture: CiFixture;
  const db = () => api.app.get(DataSource);

  beforeAll(async () => {
    api = await startTestApp();
    fixture = await createCiFixture(api, VALID);
    // New projects refuse pipeline variables (no_one_allowed); these tests pass them as the maintainer.
    await client(api, fixture.maintainer)
      .put(`/projects/${fixture.projectId}`, { ci_pipeline_variables_minimum_override_role: 'maintainer' })
      .expect(200);
  });

  afterAll(() => api.close());

  const as = () => client(api, fixture.maintainer);
  const create = (body: object, projectId = fixture.projectId) => as().post(`/projects/${projectId}/pipeline`, body);

  /** Rows a failed creation must not leave behind: pipelines, builds, their metadata, environments. */
  async function storedRows(projectId: number): Promise<Record<string, number>> {
    const [row] = await db().query(
      `SELECT (SELECT count(*) FROM ci_pipelines WHERE project_id = $1) AS pipelines,
              (SELECT count(*) FROM ci_builds WHERE project_id = $1) AS builds,
              (SELECT count(*) FROM ci_builds_metadata m JOIN ci_builds b ON b.id = m.build_id WHERE b.project_id = $1) AS metadata,
              (SELECT count(*) FROM environments WHERE project_id = $1) AS environments`,
      [projectId],
    );
    return row;
  }

  async function expectRefused(config: string, body: object, expected: object): Promise<void> {
    const own = await createCiFixture(api, config, { owner: fixture.maintainer });
    const before = await storedRows(own.projectId);
    const refused = await create(body, own.projectId).expect(400);
    expect(refused.body).toEqual(expected);
    expect(await storedRows(own.projectId)).toEqual(before);
  }

  it.each([
    [
      'an id token without aud',
      'deploy:\n  script: x\n  environment: production\n  id_tokens:\n    AWS_TOKEN:\n      audience: sts\n',
      [
        'jobs:deploy:id_tokens:AWS_TOKEN id token config missing required keys: aud',
        'jobs:deploy:id_tokens:AWS_TOKEN id token config contains unknown keys: audience',
        'jobs:deploy:id_tokens:AWS_TOKEN id token aud should be an array of strings or a string',
      ],
    ],
    [
      'an empty aud',
      'deploy:\n  script: x\n  id_tokens:\n    TOK:\n      aud: ""\n',
      ['jobs:deploy:id_tokens:TOK id token aud must not be empty'],
    ],
    [
      'a reserved token name',
      'deploy:\n  script: x\n  id_tokens:\n    CI_JOB_JWT:\n      aud: a\n',
      ['jobs:deploy:id_tokens:CI_JOB_JWT invalid or reserved variable name'],
    ],
    ['a reserved claim', 'deploy:\n  script: x\n  jwt_claims:\n    sub: mine\n', ['jobs:deploy:jwt_claims reserved claim name: sub']],
    [
      'an unknown stage',
      'stages: [build]\ndeploy:\n  stage: deploy\n  script: x\n',
      ['deploy job: chosen stage deploy does not exist; available stages are .pre, build, .post'],
    ],
    ['a job without script', 'deploy:\n  stage: test\n', ['jobs deploy config should implement the script:, run:, or trigger: keyword']],
    ['YAML that does not parse', 'deploy: [\n', [expect.stringMatching(/^Invalid configuration format: /)]],
  ])('refuses %s with the lint errors and stores nothing', async (_what, config, errors) => {
    await expectRefused(config, { ref: 'main' }, { message: { base: errors } });
  });

  it('refuses a Vault secret without an id token while opt_in_jwt is on, and stores nothing', async () => {
    await expectRefused(
      VAULT_WITHOUT_ID_TOKEN,
      { ref: 'main' },
      {
        message: {
          base: ['jobs:deploy:secrets:DB_PASSWORD needs an id token to authenticate with Vault: define id_tokens in the job or in default'],
        },
      },
    );
  });

  it('accepts that secret once opt_in_jwt is off, and stores it with no token (the legacy CI_JOB_JWT)', async () => {
    const own = await createCiFixture(api, VAULT_WITHOUT_ID_TOKEN, { owner: fixture.maintainer });
    await db().query('INSERT INTO project_ci_cd_settings (project_id, opt_in_jwt) VALUES ($1, false)', [own.projectId]);
    const created = await create({ ref: 'main' }, own.projectId).expect(201);
    const [metadata] = await db().query(
      'SELECT m.secrets, m.id_tokens FROM ci_builds_metadata m JOIN ci_builds b ON b.id = m.build_id WHERE b.pipeline_id = $1',
      [created.body.id],
    );
    expect(metadata).toEqual({
      id_tokens: {},
      secrets: {
        DB_PASSWORD: {
          vault: { engine: { name: 'kv-v2', path: 'ops' }, path: 'production/db', field: 'password' },
          token: null,
          file: true,
        },
      },
    });
  });

  it('refuses an unknown ref, and a ref without .gitlab-ci.yml, as GitLab does', async () => {
    const before = await storedRows(fixture.projectId);
    expect((await create({ ref: 'nope' }).expect(400)).body).toEqual({ message: { base: ['Reference not found'] } });
    expect((await create({ ref: 'refs/tags/main' }).expect(400)).body).toEqual({ message: { base: ['Reference not found'] } });

    const bare = await createCiFixture(api, VALID, { owner: fixture.maintainer });
    await as()
      .post(`/projects/${bare.projectId}/repository/files/README.md`, {
        branch: 'docs',
        start_branch: 'main',
        content: 'x',
        commit_message: 'x',
      })
      .expect(201);
    await as().delete(`/projects/${bare.projectId}/repository/files/.gitlab-ci.yml?branch=docs&commit_message=rm`);
    const empty = await as()
      .post('/projects', { name: `empty-${Date.now()}` })
      .expect(201);
    await as()
      .post(`/projects/${empty.body.id}/repository/files/README.md`, { branch: 'main', content: 'x', commit_message: 'x' })
      .expect(201);
    expect((await create({ ref: 'main' }, empty.body.id).expect(400)).body).toEqual({ message: { base: ['Missing CI config file'] } });
    expect(await storedRows(fixture.projectId)).toEqual(before);
  });

  it('refuses a blank .gitlab-ci.yml with GitLab’s message', async () => {
    await expectRefused('# nothing yet\n', { ref: 'main' }, { message: { base: ['Please provide content of .gitlab-ci.yml'] } });
  });

  it.each([
    [{}, 'ref'],
    [{ ref: '' }, 'ref'],
    [{ ref: 42 }, 'ref'],
    [{ ref: 'ma\u0000in' }, 'ref'],
    [{ ref: 'main', variables: [{ key: 'BAD-KEY', value: 'x' }] }, 'variables.0.key'],
    [
      {
        ref: 'main',
        variables: [
          { key: 'OK', value: 'x' },
          { key: '', value: 'x' },
        ],
      },
      'variables.1.key',
    ],
    [{ ref: 'main', variables: [{ key: 'OK', value: { a: 1 } }] }, 'variables.0.value'],
    [{ ref: 'main', variables: [{ key: 'OK', value: 'x', variable_type: 'secret' }] }, 'variables.0.variable_type'],
    [{ ref: 'main', variables: [{ key: 'OK', value: 'a\u0000b' }] }, 'variables.0.value'],
    [{ ref: 'main', variables: [{ key: 'OK', value: 'a\ud800b' }] }, 'variables.0.value'],
    [{ ref: 'main', variables: { OK: 'x' } }, 'variables'],
  ])('refuses %j with 400 naming %s', async (body, field) => {
    const before = await storedRows(fixture.projectId);
    const refused = await create(body).expect(400);
    expect(refusedFields(refused.body)).toContain(field);
    expect(await storedRows(fixture.projectId)).toEqual(before);
  });

  it('keeps valid pipeline variables on the pipeline', async () => {
    const variables = [
      { key: 'DEPLOY_TARGET', value: 'eu-1', variable_type: 'env_var' },
      { key: 'KUBECONFIG', value: 'apiVersion: v1', variable_type: 'file' },
      { key: 'PLAIN', value: '' },
      { key: 'NUMBER', value: 7 },
    ];
    const created = await create({ ref: 'main', variables }).expect(201);
    const [row] = await db().query('SELECT variables FROM ci_pipelines WHERE id = $1', [created.body.id]);
    expect(row.variables).toEqual([
      variables[0],
      variables[1],
      { key: 'PLAIN', value: '', variable_type: 'env_var' },
      { key: 'NUMBER', value: '7', variable_type: 'env_var' },
    ]);
  });

  it.each([
    ['a NUL in a script line', 'build:\n  script: "echo \\0"\n'],
    ['a NUL in a variable', 'variables:\n  X: "a\\0b"\nbuild:\n  script: make\n'],
    ['a NUL in a Vault path', 'build:\n  script: make\n  id_tokens: { T: { aud: a } }\n  secrets:\n    S:\n      vault: "a\\0b/c@kv"\n'],
    ['a lone surrogate in a script line', 'build:\n  script: "echo \\ud800"\n'],
    ['a stage name longer than the column', `stages: [${'s'.repeat(300)}]\nbuild:\n  stage: ${'s'.repeat(300)}\n  script: make\n`],
  ])('refuses %s as a lint error in base, not a 500', async (_what, config) => {
    const own = await createCiFixture(api, config, { owner: fixture.maintainer });
    const refused = await create({ ref: 'main' }, own.projectId);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ message: { base: [expect.any(String)] } });
  });

  it('stores every job when a parallel job and a written one share a name (the bulk write matches ids by row, not by name)', async () => {
    const own = await createCiFixture(api, 'test:\n  script: x\n  parallel: 2\n"test 1/2":\n  script: y\n', { owner: fixture.maintainer });
    const pipeline = (await create({ ref: 'main' }, own.projectId).expect(201)).body as { id: number };
    const rows: { name: string; script: string[] }[] = await db().query(
      'SELECT b.name, m.script FROM ci_builds b JOIN ci_builds_metadata m ON m.build_id = b.id WHERE b.pipeline_id = $1 ORDER BY b.id',
      [pipeline.id],
    );
    expect(rows).toEqual([
      { name: 'test 1/2', script: ['x'] },
      { name: 'test 2/2', script: ['x'] },
      { name: 'test 1/2', script: ['y'] },
    ]);
  });

  it('answers 404 for a project that does not exist', async () => {
    await commitCiConfig(api, fixture.maintainer, fixture.projectId, VALID, 'main');
    expect((await create({ ref: 'main' }, 999_999_999).expect(404)).body).toEqual({ message: '404 Project Not Found' });
  });
});
