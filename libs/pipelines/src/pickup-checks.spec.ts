import { PickupFacts, pickupFailure } from './pickup-checks';

const runnable: PickupFacts = {
  userState: 'active',
  projectDeleted: false,
  protectedRefRevoked: false,
  deployRefused: false,
  hasSecrets: false,
  variables: new Map(),
};
const vault = new Map([['VAULT_SERVER_URL', 'https://vault.example.com']]);

describe(pickupFailure.name, () => {
  it.each<[string, Partial<PickupFacts>, string | null]>([
    ['a job with nothing in the way', {}, null],
    ['secrets with VAULT_SERVER_URL', { hasSecrets: true, variables: vault }, null],
    ['secrets without VAULT_SERVER_URL', { hasSecrets: true }, 'secrets_provider_not_found'],
    [
      'secrets with an empty VAULT_SERVER_URL',
      { hasSecrets: true, variables: new Map([['VAULT_SERVER_URL', '']]) },
      'secrets_provider_not_found',
    ],
    ['a job without a user', { userState: null }, null],
    ['a blocked user', { userState: 'blocked', hasSecrets: true, variables: vault }, 'user_blocked'],
    ['an LDAP-blocked user', { userState: 'ldap_blocked' }, 'user_blocked'],
    ['a user pending approval', { userState: 'blocked_pending_approval' }, 'user_blocked'],
    ['a banned user', { userState: 'banned' }, 'user_blocked'],
    ['a blocked user and no Vault server: GitLab’s order, user first', { userState: 'blocked', hasSecrets: true }, 'user_blocked'],
    ['a job whose fork was deleted', { projectDeleted: true }, 'project_deleted'],
    [
      'a deleted fork and a blocked user: GitLab’s order, the project first',
      { projectDeleted: true, userState: 'blocked' },
      'project_deleted',
    ],
    ['a deploy the user may no longer make', { deployRefused: true }, 'protected_environment_failure'],
    ['a refused deploy and no Vault server: the deploy first', { deployRefused: true, hasSecrets: true }, 'protected_environment_failure'],
    ['a blocked user and a refused deploy: the user first', { userState: 'blocked', deployRefused: true }, 'user_blocked'],
    ['a protected ref its user may no longer run', { protectedRefRevoked: true }, 'protected_ref_access_revoked'],
    ['a blocked user who also lost the ref: the user first', { userState: 'blocked', protectedRefRevoked: true }, 'user_blocked'],
    [
      'a lost ref and a refused deploy: the ref first (it is about the whole job)',
      { protectedRefRevoked: true, deployRefused: true },
      'protected_ref_access_revoked',
    ],
  ])('decides %s', (_title, facts, expected) => {
    expect(pickupFailure({ ...runnable, ...facts })).toBe(expected);
  });
});
