import { createRunner } from './support/runner-fixtures';
import { client } from './support/resources';
import { TestApp, createUser, startTestApp } from './support/test-app';

/**
 * Issue 19's fuzz pass found `POST /runners/0x10/reset_authentication_token` resetting runner 16: the global validation
 * pipe turned every numeric path parameter into a number with `+value` before `ParseIntPipe` saw it, so `0x10`, `1e1`,
 * ` 16` or `16.0` named a real id. GitLab's ids are decimal integers; anything else names nothing.
 */
describe('numeric path ids', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp();
  });

  afterAll(() => api.close());

  const spellings = (id: number) => [`0x${id.toString(16)}`, `${id}e0`, `${id}.0`, `+${id}`, `%20${id}`, `0b${id.toString(2)}`];

  it('are decimal only: another spelling of a runner id reaches no runner, as admin or as its owner', async () => {
    const owner = await createUser(api, 'numeric-ids');
    const project = (await client(api, owner).post('/projects', { name: 'numeric-ids', path: 'numeric-ids' }).expect(201)).body;
    const runner = await createRunner(api, owner, { runner_type: 'project_type', project_id: project.id });

    for (const caller of [api.rootToken, owner]) {
      for (const spelling of spellings(runner.id)) {
        const reset = await client(api, caller).post(`/runners/${spelling}/reset_authentication_token`);
        expect({ spelling, status: reset.status }).toEqual({ spelling, status: 400 });
        expect({ spelling, status: (await client(api, caller).get(`/runners/${spelling}`)).status }).toEqual({ spelling, status: 400 });
      }
    }
    // The runner's token was never reset: it still verifies.
    await client(api, owner).post('/runners/verify', { token: runner.token }).expect(200);
    await client(api, owner).get(`/runners/${runner.id}`).expect(200);
  });

  it('are decimal only for users and personal access tokens too', async () => {
    const user = await createUser(api, 'numeric-user');
    for (const spelling of spellings(user.id)) {
      expect({ spelling, status: (await client(api, api.rootToken).get(`/users/${spelling}`)).status }).toEqual({ spelling, status: 400 });
      const block = await client(api, api.rootToken).post(`/users/${spelling}/block`);
      expect({ spelling, status: block.status }).toEqual({ spelling, status: 400 });
    }
    await client(api, api.rootToken).get(`/users/${user.id}`).expect(200);
    expect((await client(api, api.rootToken).get(`/users/${user.id}`)).body.state).toBe('active');
  });
});
