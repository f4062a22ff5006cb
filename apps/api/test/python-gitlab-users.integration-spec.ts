import { startListeningTestApp } from './support/listening-app';
import { runCompatScript } from './support/python-compat';
import { TestApp, uniqueName } from './support/test-app';

const BASIC_FIELDS = ['avatar_url', 'id', 'locked', 'name', 'state', 'username', 'web_url'];

describe('python-gitlab compatibility: the user directory (issue 18)', () => {
  let api: TestApp & { readonly baseUrl: string };

  beforeAll(async () => {
    api = await startListeningTestApp();
  });

  afterAll(() => api.close());

  it('lists and gets users and reads gl.user unmodified; a user who is not an admin sees no email and no blocked user', async () => {
    const suffix = uniqueName('pyu').toLowerCase();
    const result = await runCompatScript('python_gitlab_users.py', [api.baseUrl, api.rootToken, suffix]);
    expect(result).toEqual({
      current: [true, true, `${suffix}-alice@example.com`],
      admin_list: [
        ['alice', `${suffix}-alice@example.com`, false],
        ['bob', `${suffix}-bob@example.com`, false],
        ['carol', `${suffix}-carol@example.com`, false],
      ],
      admin_blocked: ['carol'],
      admin_active: ['alice', 'bob'],
      user_list: ['alice', 'bob'],
      user_list_fields: BASIC_FIELDS,
      user_by_username: ['bob'],
      user_by_email: [],
      user_pages: 2,
      user_get: BASIC_FIELDS,
      admin_get: `${suffix}-bob@example.com`,
      anonymous: 401,
    });
  });
});
