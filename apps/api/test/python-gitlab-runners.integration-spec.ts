import { startListeningTestApp } from './support/listening-app';
import { runCompatScript } from './support/python-compat';
import { TestApp, uniqueName } from './support/test-app';

describe('python-gitlab compatibility: runner administration (issue 18, item 7)', () => {
  let api: TestApp & { readonly baseUrl: string };

  beforeAll(async () => {
    api = await startListeningTestApp();
  });

  afterAll(() => api.close());

  it("lists, updates, resets and deletes runners through python-gitlab's managers, and a developer cannot", async () => {
    const suffix = uniqueName('py').toLowerCase();
    const result = await runCompatScript('python_gitlab_runners.py', [api.baseUrl, api.rootToken, suffix]);
    expect(result).toEqual({
      own: true,
      own_group_type: ['group_type'],
      dev_own: [],
      all_has_both: true,
      project: ['project_type'],
      group: ['group_type'],
      dev_all: 403,
      dev_delete: 403,
      dev_reset: 403,
      updated: [true, ['linux', 'arm'], 'py'],
      reset_new_token: true,
      old_token: 403,
      after_delete: 404,
    });
  });
});
