import {
  DEFAULT_KEYWORDS,
  DEFAULT_STAGES,
  DEPLOYMENT_TIERS,
  ENVIRONMENT_ACTIONS,
  ENVIRONMENT_KEYWORDS,
  ID_TOKEN_KEYWORDS,
  INHERIT_KEYWORDS,
  JOB_KEYWORDS,
  LEGACY_JWT_VARIABLES,
  ROOT_KEYWORDS,
  SECRET_KEYWORDS,
  UNSUPPORTED_ROOT_KEYWORDS,
  VAULT_ENGINE_KEYWORDS,
  VAULT_SECRET_KEYWORDS,
} from './index';

// Closed lists: supporting another keyword is a deliberate change to one of these.
describe('keywords', () => {
  it.each([
    ['ROOT_KEYWORDS', ROOT_KEYWORDS, ['stages', 'variables', 'default']],
    [
      'UNSUPPORTED_ROOT_KEYWORDS',
      UNSUPPORTED_ROOT_KEYWORDS,
      ['include', 'workflow', 'image', 'services', 'before_script', 'after_script', 'cache', 'types', 'spec'],
    ],
    [
      'JOB_KEYWORDS',
      JOB_KEYWORDS,
      ['stage', 'script', 'variables', 'environment', 'timeout', 'id_tokens', 'secrets', 'jwt_claims', 'extends', 'inherit'],
    ],
    ['DEFAULT_KEYWORDS', DEFAULT_KEYWORDS, ['id_tokens', 'timeout', 'jwt_claims']],
    ['INHERIT_KEYWORDS', INHERIT_KEYWORDS, ['default', 'variables']],
    ['ID_TOKEN_KEYWORDS', ID_TOKEN_KEYWORDS, ['aud']],
    ['ENVIRONMENT_KEYWORDS', ENVIRONMENT_KEYWORDS, ['name', 'deployment_tier', 'action']],
    ['SECRET_KEYWORDS', SECRET_KEYWORDS, ['vault', 'token', 'file']],
    ['VAULT_SECRET_KEYWORDS', VAULT_SECRET_KEYWORDS, ['engine', 'path', 'field']],
    ['VAULT_ENGINE_KEYWORDS', VAULT_ENGINE_KEYWORDS, ['name', 'path']],
    ['DEFAULT_STAGES', DEFAULT_STAGES, ['.pre', 'build', 'test', 'deploy', '.post']],
    ['DEPLOYMENT_TIERS', DEPLOYMENT_TIERS, ['production', 'staging', 'testing', 'development', 'other']],
    ['ENVIRONMENT_ACTIONS', ENVIRONMENT_ACTIONS, ['start', 'stop', 'prepare', 'verify', 'access']],
    ['LEGACY_JWT_VARIABLES', LEGACY_JWT_VARIABLES, ['CI_JOB_JWT', 'CI_JOB_JWT_V1', 'CI_JOB_JWT_V2']],
  ])('%s is exactly the implemented set', (_name, list, expected) => {
    expect(list).toEqual(expected);
  });
});
