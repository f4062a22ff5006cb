import {
  JobContext,
  RunnerVariable,
  ScopedVariablesInput,
  VaultSecretSpec,
  assembleScopedVariables,
  buildRunnerJobSpec,
  buildRunnerPayload,
  buildPredefinedVariables,
  isDraftTitle,
  slugify,
  toRunnerVariable,
} from '.';

const context: JobContext = {
  serverUrl: 'https://ci.example.com',
  job: {
    id: 42,
    name: 'deploy prod',
    stage: 'deploy',
    token: 'glcbt-job-token-value',
    timeoutSeconds: 1800,
    script: ['make deploy'],
    startedAt: '2026-01-02T03:04:05.000Z',
  },
  pipeline: {
    id: 7,
    iid: 3,
    source: 'api',
    createdAt: '2026-01-02T03:00:00.000Z',
    sha: 'a'.repeat(40),
    beforeSha: 'b'.repeat(40),
    ref: 'main',
    refType: 'branch',
    refProtected: true,
  },
  project: {
    id: 3,
    name: 'My App',
    path: 'my-app',
    fullPath: 'acme/platform/my-app',
    namespaceId: 5,
    namespaceFullPath: 'acme/platform',
    rootNamespaceId: 4,
    rootNamespacePath: 'acme',
    visibility: 'private',
    defaultBranch: 'main',
  },
  user: { id: 9, username: 'alice', email: 'alice@example.com', name: 'Alice' },
  runner: { id: 11, description: 'shared' },
  environment: null,
};

const secret: VaultSecretSpec = {
  vault: { engine: { name: 'kv-v2', path: 'kv-v2' }, path: 'prod/db', field: 'password' },
  token: 'VAULT_ID_TOKEN',
  file: false,
};
const variable = (key: string, value: string, extra: Partial<RunnerVariable> = {}): RunnerVariable => ({
  key,
  value,
  public: false,
  masked: false,
  ...extra,
});

type PayloadOptions = Partial<Omit<ScopedVariablesInput, 'context'>> & {
  context?: JobContext;
  idTokenVariables?: RunnerVariable[];
  secrets?: Record<string, VaultSecretSpec>;
};

function payloadOf({ context: jobContext = context, idTokenVariables = [], secrets = {}, ...scoped }: PayloadOptions) {
  const scopedVariables = assembleScopedVariables({
    context: jobContext,
    ciVariables: [],
    yamlVariables: {},
    pipelineVariables: [],
    ...scoped,
  });
  const spec = buildRunnerJobSpec({
    script: jobContext.job.script,
    options: null,
    stageIdx: 0,
    timeoutSeconds: jobContext.job.timeoutSeconds,
    protectedRef: jobContext.pipeline.refProtected,
    jobToken: jobContext.job.token,
    dependencyCandidates: [],
  });
  return buildRunnerPayload({ context: jobContext, idTokenVariables, scopedVariables, secrets, spec });
}

describe(buildPredefinedVariables.name, () => {
  const byKey = (ctx: JobContext) => new Map(buildPredefinedVariables(ctx).map((v) => [v.key, v]));

  it('names GitLab predefined variables with their values, only CI_JOB_TOKEN secret', () => {
    const variables = byKey(context);
    expect(Object.fromEntries([...variables].map(([key, v]) => [key, v.value]))).toMatchObject({
      CI: 'true',
      GITLAB_CI: 'true',
      CI_JOB_ID: '42',
      CI_JOB_NAME: 'deploy prod',
      CI_JOB_NAME_SLUG: 'deploy-prod',
      CI_JOB_STAGE: 'deploy',
      CI_PIPELINE_ID: '7',
      CI_PIPELINE_IID: '3',
      CI_PIPELINE_SOURCE: 'api',
      CI_PROJECT_ID: '3',
      CI_PROJECT_PATH: 'acme/platform/my-app',
      CI_PROJECT_NAMESPACE: 'acme/platform',
      CI_PROJECT_ROOT_NAMESPACE: 'acme',
      CI_PROJECT_URL: 'https://ci.example.com/acme/platform/my-app',
      CI_COMMIT_SHA: 'a'.repeat(40),
      CI_COMMIT_SHORT_SHA: 'aaaaaaaa',
      CI_COMMIT_REF_NAME: 'main',
      CI_COMMIT_BRANCH: 'main',
      CI_COMMIT_REF_PROTECTED: 'true',
      CI_SERVER_URL: 'https://ci.example.com',
      CI_SERVER_HOST: 'ci.example.com',
      CI_SERVER_PORT: '443',
      CI_SERVER_PROTOCOL: 'https',
      CI_DEFAULT_BRANCH: 'main',
      GITLAB_USER_LOGIN: 'alice',
      CI_RUNNER_ID: '11',
    });
    expect(variables.get('CI_JOB_TOKEN')).toEqual({ key: 'CI_JOB_TOKEN', value: 'glcbt-job-token-value', public: false, masked: true });
    expect([...variables.values()].filter((v) => v.masked).map((v) => v.key)).toEqual(['CI_JOB_TOKEN']);
    expect(variables.has('CI_COMMIT_TAG')).toBe(false);
    expect(variables.has('CI_ENVIRONMENT_NAME')).toBe(false);
  });

  it('names the runner’s tags in CI_RUNNER_TAGS as GitLab’s Ruby array text', () => {
    expect(byKey(context).get('CI_RUNNER_TAGS')?.value).toBe('[]');
    const tagged = byKey({ ...context, runner: { ...context.runner, tags: ['docker', 'linux'] } });
    expect(tagged.get('CI_RUNNER_TAGS')).toEqual({ key: 'CI_RUNNER_TAGS', value: '["docker", "linux"]', public: true, masked: false });
  });

  it('gives a merge-request pipeline GitLab’s CI_MERGE_REQUEST_* variables, in its order, and no CI_COMMIT_BRANCH', () => {
    const mergeRequest = {
      id: 120,
      iid: 4,
      title: 'Fix: it',
      projectId: 3,
      projectPath: 'acme/platform/my-app',
      targetBranch: 'main',
      targetBranchProtected: true,
      sourceProjectId: 8,
      sourceProjectPath: 'mallory/my-app',
      sourceBranch: 'main',
      description: null,
      draft: false,
      sourceBranchProtected: true,
    };
    const variables = buildPredefinedVariables({
      ...context,
      pipeline: { ...context.pipeline, source: 'merge_request_event', refProtected: false },
      mergeRequest,
    });
    expect(variables.filter((v) => v.key.startsWith('CI_MERGE_REQUEST_')).map((v) => [v.key, v.value])).toEqual([
      ['CI_MERGE_REQUEST_EVENT_TYPE', 'detached'],
      ['CI_MERGE_REQUEST_SOURCE_BRANCH_SHA', ''],
      ['CI_MERGE_REQUEST_TARGET_BRANCH_SHA', ''],
      ['CI_MERGE_REQUEST_ID', '120'],
      ['CI_MERGE_REQUEST_IID', '4'],
      ['CI_MERGE_REQUEST_REF_PATH', 'refs/merge-requests/4/head'],
      ['CI_MERGE_REQUEST_PROJECT_ID', '3'],
      ['CI_MERGE_REQUEST_PROJECT_PATH', 'acme/platform/my-app'],
      ['CI_MERGE_REQUEST_PROJECT_URL', 'https://ci.example.com/acme/platform/my-app'],
      ['CI_MERGE_REQUEST_TARGET_BRANCH_NAME', 'main'],
      ['CI_MERGE_REQUEST_TARGET_BRANCH_PROTECTED', 'true'],
      ['CI_MERGE_REQUEST_TITLE', 'Fix: it'],
      ['CI_MERGE_REQUEST_DRAFT', 'false'],
      ['CI_MERGE_REQUEST_DESCRIPTION_IS_TRUNCATED', 'false'],
      ['CI_MERGE_REQUEST_SQUASH_ON_MERGE', 'false'],
      ['CI_MERGE_REQUEST_SOURCE_PROJECT_ID', '8'],
      ['CI_MERGE_REQUEST_SOURCE_PROJECT_PATH', 'mallory/my-app'],
      ['CI_MERGE_REQUEST_SOURCE_PROJECT_URL', 'https://ci.example.com/mallory/my-app'],
      ['CI_MERGE_REQUEST_SOURCE_BRANCH_NAME', 'main'],
      ['CI_MERGE_REQUEST_SOURCE_BRANCH_PROTECTED', 'true'],
    ]);
    const keys = variables.map((v) => v.key);
    expect(keys.indexOf('CI_MERGE_REQUEST_EVENT_TYPE')).toBe(keys.indexOf('CI_PIPELINE_CREATED_AT') + 1);
    expect(keys).not.toContain('CI_COMMIT_BRANCH');
    expect(variables.find((v) => v.key === 'CI_COMMIT_REF_PROTECTED')?.value).toBe('false');
    expect(byKey(context).has('CI_MERGE_REQUEST_IID')).toBe(false);
  });

  it('gives a draft merge request CI_MERGE_REQUEST_DRAFT, and its description cut at 2700 characters as GitLab does', () => {
    const mergeRequest = {
      id: 1,
      iid: 2,
      title: '[Draft] Rework',
      projectId: 3,
      projectPath: 'a/b',
      targetBranch: 'main',
      targetBranchProtected: true,
      sourceProjectId: 3,
      sourceProjectPath: 'a/b',
      sourceBranch: 'rework',
      description: 'é'.repeat(3000),
      draft: isDraftTitle('[Draft] Rework'),
      sourceBranchProtected: false,
    };
    const variables = byKey({ ...context, pipeline: { ...context.pipeline, source: 'merge_request_event' }, mergeRequest });
    expect(variables.get('CI_MERGE_REQUEST_DRAFT')?.value).toBe('true');
    expect(variables.get('CI_MERGE_REQUEST_DESCRIPTION')?.value).toBe(`${'é'.repeat(2697)}...`);
    expect(variables.get('CI_MERGE_REQUEST_DESCRIPTION_IS_TRUNCATED')?.value).toBe('true');
    expect(['Draft: x', '(draft) x', '  DRAFT: x', 'Drafting x', 'x Draft:'].map(isDraftTitle)).toEqual([true, true, true, false, false]);
  });

  it('gives a tag pipeline CI_COMMIT_TAG and no CI_COMMIT_BRANCH', () => {
    const variables = byKey({ ...context, pipeline: { ...context.pipeline, ref: 'v1.0', refType: 'tag' } });
    expect(variables.get('CI_COMMIT_TAG')?.value).toBe('v1.0');
    expect(variables.has('CI_COMMIT_BRANCH')).toBe(false);
  });

  it('gives CI_OPEN_MERGE_REQUESTS to branch pipelines only, and CI_PIPELINE_NAME after CI_PIPELINE_CREATED_AT when named', () => {
    const open = ['acme/platform/my-app!4', 'acme/other!1'];
    const named = { ...context.pipeline, name: 'Nightly', openMergeRequests: open };
    const branch = buildPredefinedVariables({ ...context, pipeline: named });
    const keys = branch.map((v) => v.key);
    expect(keys.indexOf('CI_PIPELINE_NAME')).toBe(keys.indexOf('CI_PIPELINE_CREATED_AT') + 1);
    expect(byKey({ ...context, pipeline: named }).get('CI_OPEN_MERGE_REQUESTS')?.value).toBe('acme/platform/my-app!4,acme/other!1');
    expect(byKey({ ...context, pipeline: { ...named, ref: 'v1', refType: 'tag' } }).has('CI_OPEN_MERGE_REQUESTS')).toBe(false);
    expect([byKey(context).has('CI_OPEN_MERGE_REQUESTS'), byKey(context).has('CI_PIPELINE_NAME')]).toEqual([false, false]);
  });

  it('adds environment variables only with an environment, and no user variables without a user', () => {
    const variables = byKey({
      ...context,
      user: null,
      environment: { name: 'review/Feature-X', slug: 'review-feature-x-1a2b3c', tier: 'development', action: 'start' },
    });
    expect(variables.get('CI_ENVIRONMENT_NAME')?.value).toBe('review/Feature-X');
    expect(variables.get('CI_ENVIRONMENT_SLUG')?.value).toBe('review-feature-x-1a2b3c');
    expect(variables.get('CI_ENVIRONMENT_TIER')?.value).toBe('development');
    expect(variables.has('GITLAB_USER_ID')).toBe(false);
  });

  it.each([
    ['Feature/ABC_1', 'feature-abc-1'],
    ['--x--', 'x'],
    ['a'.repeat(80), 'a'.repeat(63)],
    ['ünïcode', 'n-code'],
    ['fix/a__b', 'fix-a--b'],
    ['x 😀 y', 'x---y'],
  ])('slugifies %j as %j', (value, slug) => expect(slugify(value)).toBe(slug));
});

describe(buildRunnerPayload.name, () => {
  it('orders variables: ID tokens, predefined, group and project, YAML, pipeline', () => {
    const payload = payloadOf({
      idTokenVariables: [variable('AWS_TOKEN', 'jwt', { masked: true })],
      ciVariables: [variable('GROUP_VAR', 'g'), variable('PROJECT_VAR', 'p', { masked: true })],
      yamlVariables: { YAML_VAR: 'y' },
      pipelineVariables: [variable('PIPELINE_VAR', 'x')],
    });
    const keys = payload.variables.map((v) => v.key);
    expect(keys[0]).toBe('AWS_TOKEN');
    expect(keys[1]).toBe('CI_PIPELINE_ID');
    expect(keys.slice(-4)).toEqual(['GROUP_VAR', 'PROJECT_VAR', 'YAML_VAR', 'PIPELINE_VAR']);
    expect(payload.variables.find((v) => v.key === 'YAML_VAR')).toEqual({ key: 'YAML_VAR', value: 'y', public: true, masked: false });
  });

  it('answers in GitLab runner shape', () => {
    const payload = payloadOf({});
    expect(payload).toMatchObject({
      id: 42,
      token: 'glcbt-job-token-value',
      job_info: {
        id: 42,
        name: 'deploy prod',
        stage: 'deploy',
        pipeline_id: 7,
        project_id: 3,
        project_name: 'My App',
        namespace_id: 5,
        root_namespace_id: 4,
        user_id: 9,
      },
      git_info: {
        ref: 'main',
        sha: 'a'.repeat(40),
        before_sha: 'b'.repeat(40),
        ref_type: 'branch',
        refspecs: ['+refs/heads/main:refs/remotes/origin/main'],
        depth: 20,
      },
      runner_info: { timeout: 1800 },
      steps: [{ name: 'script', script: ['make deploy'], timeout: 1800, when: 'on_success', allow_failure: false }],
      image: null,
      services: [],
      artifacts: null,
      cache: [],
      dependencies: [],
      features: { trace_sections: true },
    });
    expect(payload.git_info.repo_url).toBe('https://gitlab-ci-token:glcbt-job-token-value@ci.example.com/acme/platform/my-app.git');
    expect(payload).not.toHaveProperty('secrets');
    expect(payload.variables).toContainEqual(expect.objectContaining({ key: 'CI_COMMIT_BEFORE_SHA', value: 'b'.repeat(40) }));
  });

  it('uses tag refspecs for a tag pipeline', () => {
    const payload = payloadOf({ context: { ...context, pipeline: { ...context.pipeline, ref: 'v1', refType: 'tag' } } });
    expect(payload.git_info).toMatchObject({ ref_type: 'tag', refspecs: ['+refs/tags/v1:refs/tags/v1'] });
  });

  it('fetches a merge-request pipeline in the target through its persistent ref', () => {
    const pipeline = { ...context.pipeline, id: 77, ref: 'feature', pipelineRef: 'refs/merge-requests/3/head' };
    const payload = payloadOf({ context: { ...context, pipeline } });
    expect(payload.git_info).toMatchObject({ ref: 'feature', refspecs: ['+refs/pipelines/77:refs/pipelines/77'] });
  });

  it('sends Vault secrets in GitLab shape, the JWT as a variable reference', () => {
    const payload = payloadOf({
      ciVariables: [variable('VAULT_SERVER_URL', 'https://vault.example.com'), variable('VAULT_AUTH_ROLE', 'deployer')],
      yamlVariables: { VAULT_AUTH_PATH: 'jwt-ci' },
      secrets: { DB: secret, LEGACY: { ...secret, token: null, file: true } },
    });
    expect(payload.secrets).toEqual({
      DB: {
        vault: {
          engine: { name: 'kv-v2', path: 'kv-v2' },
          path: 'prod/db',
          field: 'password',
          server: {
            url: 'https://vault.example.com',
            auth: { name: 'jwt', path: 'jwt-ci', data: { jwt: '$VAULT_ID_TOKEN', role: 'deployer' } },
          },
        },
        file: false,
      },
      LEGACY: {
        vault: {
          engine: { name: 'kv-v2', path: 'kv-v2' },
          path: 'prod/db',
          field: 'password',
          server: {
            url: 'https://vault.example.com',
            auth: { name: 'jwt', path: 'jwt-ci', data: { jwt: '${CI_JOB_JWT}', role: 'deployer' } },
          },
        },
        file: true,
      },
    });
  });

  it('defaults the Vault auth path to jwt and leaves out an unset role', () => {
    const payload = payloadOf({ ciVariables: [variable('VAULT_SERVER_URL', 'https://vault')], secrets: { DB: secret } });
    expect((payload.secrets as Record<string, { vault: { server: unknown } }>).DB.vault.server).toEqual({
      url: 'https://vault',
      auth: { name: 'jwt', path: 'jwt', data: { jwt: '$VAULT_ID_TOKEN' } },
    });
  });

  it('marks file and raw variables only when true', () => {
    expect(toRunnerVariable({ key: 'F', value: 'v', file: true, raw: false })).toEqual({
      key: 'F',
      value: 'v',
      public: false,
      masked: false,
      file: true,
    });
    expect(toRunnerVariable({ key: 'R', value: '$x', raw: true })).toEqual({
      key: 'R',
      value: '$x',
      public: false,
      masked: false,
      raw: true,
    });
  });
});
