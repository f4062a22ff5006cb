import { startListeningTestApp } from './support/listening-app';
import { runCompatScript } from './support/python-compat';
import { TestApp, uniqueName } from './support/test-app';

describe('python-gitlab compatibility: tokens, metadata and inherited members', () => {
  let api: TestApp & { readonly baseUrl: string };

  beforeAll(async () => {
    api = await startListeningTestApp();
  });

  afterAll(() => api.close());

  it('lists, revokes and rotates tokens, reads the version and lists inherited members unmodified', async () => {
    const suffix = uniqueName('py').toLowerCase();
    const result = await runCompatScript('python_gitlab_tokens.py', [api.baseUrl, api.rootToken, suffix]);
    expect(result).toEqual({
      version: ['18.0.0', expect.stringMatching(/^lanyard-/)],
      own: ['alice-main', 'alice-spare'],
      admin_user_filter: ['alice-main', 'alice-spare'],
      attack_delete: 400,
      attack_rotate: 401,
      attack_left_tokens_working: true,
      self: [true, 'alice-main', true, false],
      rotated: ['alice-main', true, true],
      old_works: false,
      new_works: true,
      spare_after_delete: false,
      project_members_all: [
        ['alice', 40],
        ['mallory', 20],
        ['root', 50],
      ],
      project_member_all_get: 40,
      subgroup_members_all: [
        ['alice', 30],
        ['mallory', 20],
        ['root', 50],
      ],
    });
  });
});
