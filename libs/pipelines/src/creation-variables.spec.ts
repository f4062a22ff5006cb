import { CreationContext, creationVariables } from './creation-variables';
import { lastValues } from './runner-variable';

const context: CreationContext = {
  serverUrl: 'https://gitlab.example',
  job: { name: 'deploy eu', stage: 'deploy', timeoutSeconds: 600, script: ['./deploy'] },
  pipeline: {
    iid: 4,
    source: 'api',
    sha: 'a'.repeat(40),
    beforeSha: 'b'.repeat(40),
    ref: 'Feature/X',
    refType: 'branch',
    refProtected: false,
  },
  project: {
    id: 7,
    name: 'Web',
    path: 'web',
    fullPath: 'acme/web',
    namespaceId: 3,
    namespaceFullPath: 'acme',
    rootNamespaceId: 3,
    rootNamespacePath: 'acme',
    visibility: 'private',
    defaultBranch: 'main',
  },
  user: { id: 5, username: 'dev', email: 'dev@example.com', name: 'Dev' },
};

describe(creationVariables.name, () => {
  it('knows the ref, project, job, user and the pipeline’s number, not what is decided later', () => {
    const variables = lastValues(creationVariables(context, {}, []));
    expect(
      Object.fromEntries(
        [...variables].filter(([key]) =>
          [
            'CI_COMMIT_REF_SLUG',
            'CI_PROJECT_PATH',
            'CI_JOB_NAME_SLUG',
            'GITLAB_USER_LOGIN',
            'CI_COMMIT_BRANCH',
            'CI_PIPELINE_IID',
          ].includes(key),
        ),
      ),
    ).toEqual({
      CI_COMMIT_REF_SLUG: 'feature-x',
      CI_PROJECT_PATH: 'acme/web',
      CI_JOB_NAME_SLUG: 'deploy-eu',
      GITLAB_USER_LOGIN: 'dev',
      CI_COMMIT_BRANCH: 'Feature/X',
      CI_PIPELINE_IID: '4',
    });
    for (const key of [
      'CI_PIPELINE_ID',
      'CI_PIPELINE_URL',
      'CI_PIPELINE_CREATED_AT',
      'CI_JOB_ID',
      'CI_JOB_URL',
      'CI_JOB_TOKEN',
      'CI_JOB_STARTED_AT',
      'CI_RUNNER_ID',
      'CI_RUNNER_DESCRIPTION',
      'CI_RUNNER_TAGS',
    ]) {
      expect(variables.has(key)).toBe(false);
    }
    expect([...variables.keys()].some((key) => key.startsWith('CI_ENVIRONMENT_'))).toBe(false);
  });

  it('lets YAML variables override predefined ones, and pipeline variables override both', () => {
    const variables = lastValues(
      creationVariables(context, { CI_COMMIT_REF_SLUG: 'yaml', REGION: 'eu' }, [{ key: 'REGION', value: 'us' }]),
    );
    expect(variables.get('CI_COMMIT_REF_SLUG')).toBe('yaml');
    expect(variables.get('REGION')).toBe('us');
  });
});
