import { SCOPE_ROUTE_CLASSES, TOKEN_SCOPES, decideSudo, decideTokenScope, isTokenScope } from '../src';
import type { ScopeRouteClass } from '../src';

describe('TOKEN_SCOPES', () => {
  it('is exactly the scopes Lanyard gives a meaning to', () => {
    expect(TOKEN_SCOPES).toEqual([
      'api',
      'read_api',
      'read_user',
      'read_repository',
      'write_repository',
      'create_runner',
      'self_rotate',
      'sudo',
      'admin_mode',
    ]);
  });

  it('lists exactly these route classes', () => {
    expect(SCOPE_ROUTE_CLASSES).toEqual([
      'api',
      'users',
      'repository_files',
      'user_runners',
      'metadata',
      'token_self',
      'token_self_rotation',
    ]);
  });

  it.each([
    ['api', true],
    ['admin_mode', true],
    ['API', false],
    ['write_api', false],
    ['read_registry', false],
    ['', false],
    [null, false],
  ])('isTokenScope(%p) is %s', (value, expected) => expect(isTokenScope(value)).toBe(expected));
});

describe(decideTokenScope.name, () => {
  const allowed = { allowed: true };
  const refused = (...registered: string[]) => ({ allowed: false, registered });

  it.each<[string[], ScopeRouteClass, string, object]>([
    // api: everything, everywhere
    [['api'], 'api', 'POST', allowed],
    [['api'], 'users', 'DELETE', allowed],
    [['api'], 'repository_files', 'PUT', allowed],
    [['api'], 'user_runners', 'POST', allowed],
    // read_api: GET and HEAD only
    [['read_api'], 'api', 'GET', allowed],
    [['read_api'], 'api', 'HEAD', allowed],
    [['read_api'], 'api', 'get', allowed],
    [['read_api'], 'api', 'POST', refused('api', 'read_api')],
    [['read_api'], 'api', 'PUT', refused('api', 'read_api')],
    [['read_api'], 'api', 'PATCH', refused('api', 'read_api')],
    [['read_api'], 'api', 'DELETE', refused('api', 'read_api')],
    [['read_api'], 'users', 'GET', allowed],
    [['read_api'], 'repository_files', 'GET', allowed],
    [['read_api'], 'repository_files', 'POST', refused('read_repository', 'api', 'read_api')],
    // read_user: reads of API::Users only
    [['read_user'], 'users', 'GET', allowed],
    [['read_user'], 'users', 'HEAD', allowed],
    [['read_user'], 'users', 'POST', refused('read_user', 'api', 'read_api')],
    [['read_user'], 'api', 'GET', refused('api', 'read_api')],
    [['read_user'], 'repository_files', 'GET', refused('read_repository', 'api', 'read_api')],
    // read_repository: reads of API::Files only; write_repository: no API at all
    [['read_repository'], 'repository_files', 'GET', allowed],
    [['read_repository'], 'repository_files', 'POST', refused('read_repository', 'api', 'read_api')],
    [['read_repository'], 'api', 'GET', refused('api', 'read_api')],
    [['write_repository'], 'repository_files', 'GET', refused('read_repository', 'api', 'read_api')],
    [['write_repository'], 'repository_files', 'PUT', refused('read_repository', 'api', 'read_api')],
    [['write_repository'], 'api', 'GET', refused('api', 'read_api')],
    // create_runner: POST /user/runners only
    [['create_runner'], 'user_runners', 'POST', allowed],
    [['create_runner'], 'api', 'POST', refused('api', 'read_api')],
    // metadata: read_user reads it, as API::Metadata registers
    [['read_user'], 'metadata', 'GET', allowed],
    [['read_api'], 'metadata', 'GET', allowed],
    [['read_user'], 'metadata', 'POST', refused('read_user', 'api', 'read_api')],
    [['read_repository'], 'metadata', 'GET', refused('read_user', 'api', 'read_api')],
    // token_self: any scope reads or revokes the token itself
    [['write_repository'], 'token_self', 'DELETE', allowed],
    [['create_runner'], 'token_self', 'GET', allowed],
    [['sudo'], 'token_self', 'GET', allowed],
    [[], 'token_self', 'GET', refused(...TOKEN_SCOPES)],
    // self_rotate: the token's own rotation, nothing else
    [['self_rotate'], 'token_self_rotation', 'POST', allowed],
    [['api'], 'token_self_rotation', 'POST', allowed],
    [['read_api'], 'token_self_rotation', 'POST', refused('self_rotate', 'api', 'read_api')],
    [['self_rotate'], 'api', 'POST', refused('api', 'read_api')],
    [['self_rotate'], 'users', 'GET', refused('read_user', 'api', 'read_api')],
    // sudo and admin_mode grant nothing on their own
    [['sudo'], 'users', 'GET', refused('read_user', 'api', 'read_api')],
    [['admin_mode'], 'api', 'GET', refused('api', 'read_api')],
    [['sudo', 'admin_mode', 'api'], 'api', 'POST', allowed],
    // several scopes: any one suffices; none is no access
    [['read_user', 'read_repository'], 'repository_files', 'GET', allowed],
    [['read_user', 'read_repository'], 'api', 'GET', refused('api', 'read_api')],
    [[], 'api', 'GET', refused('api', 'read_api')],
    [['API'], 'api', 'GET', refused('api', 'read_api')],
  ])('%j on %s %s', (scopes, routeClass, method, expected) => {
    expect(decideTokenScope(scopes, routeClass, method)).toEqual(expected);
  });
});

describe(decideSudo.name, () => {
  it.each<[boolean, string[], string]>([
    [false, ['api', 'sudo'], 'not_admin'],
    [false, [], 'not_admin'],
    [true, ['api'], 'insufficient_scope'],
    [true, ['admin_mode', 'read_api'], 'insufficient_scope'],
    [true, ['sudo'], 'allowed'],
    [true, ['api', 'sudo'], 'allowed'],
  ])('admin %s with %j → %s', (admin, scopes, expected) => {
    expect(decideSudo(admin, scopes)).toBe(expected);
  });
});
