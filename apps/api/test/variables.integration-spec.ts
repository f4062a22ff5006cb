import { type JobVariableOptions, resolveJobVariables } from '@lanyard/pipelines';
import { DataSource } from 'typeorm';
import { previewSnapshot } from '../src/pickup/snapshot-loader';
import type { JobColumns } from '../src/pickup/snapshot-row';
import { Resources, client, resources } from './support/resources';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';
import { refusedFields } from './support/refusals';

const KEY_MESSAGE = "can contain only letters, digits and '_'.";

describe('CI/CD variables API', () => {
  let api: TestApp;
  let make: Resources;
  let owner: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
    make = resources(api);
    owner = await createUser(api, 'vars-owner');
  });

  afterAll(() => api.close());

  const as = (user: TestUser) => client(api, user);

  /** The variables a job of the project gets: the rows the pickup's snapshot reads, chosen by the pickup's rule. */
  async function jobVariables(projectId: number, options: JobVariableOptions) {
    const draft = {
      id: 0,
      name: 'job',
      stage: 'test',
      stage_idx: 0,
      protected: false,
      user_id: null,
      project_id: projectId,
      script: [],
      yaml_variables: {},
    };
    const columns = {
      ...draft,
      id_tokens: {},
      secrets: {},
      jwt_claims: null,
      environment: null,
      job_timeout: null,
      config_options: null,
      pipeline_id: 0,
    };
    const pipeline = { source: 'push', pipeline_created_at: new Date(0).toISOString(), sha: '0'.repeat(40), ref: 'main', tag: false };
    const job: JobColumns = { ...columns, ...pipeline, pipeline_variables: [], merge_request_id: null };
    const snapshot = await previewSnapshot(api.app.get(DataSource).manager, job, new Date());
    const groupIds = snapshot.namespace.type === 'Group' ? snapshot.namespace.traversalIds : [];
    return resolveJobVariables(snapshot.ciVariables, projectId, groupIds, options);
  }

  describe.each(['projects', 'groups'] as const)('on %s', (kind) => {
    let base: string;

    beforeEach(async () => {
      const resource = kind === 'projects' ? await make.project(owner) : await make.group(owner);
      base = `/${kind}/${resource.id}/variables`;
    });

    it('creates a variable with GitLab defaults, reads, updates and deletes it', async () => {
      const created = await as(owner).post(base, { key: 'VAULT_SERVER_URL', value: 'https://vault.example.com' }).expect(201);
      expect(created.body).toEqual({
        variable_type: 'env_var',
        key: 'VAULT_SERVER_URL',
        value: 'https://vault.example.com',
        protected: false,
        masked: false,
        raw: false,
        environment_scope: '*',
        description: null,
      });
      const shown = await as(owner).get(`${base}/VAULT_SERVER_URL`).expect(200);
      expect(shown.body).toEqual(created.body);

      const updated = await as(owner)
        .put(`${base}/VAULT_SERVER_URL`, { value: 'c2VjcmV0LXZhbHVl', masked: true, protected: 'true', description: 'vault' })
        .expect(200);
      expect(updated.body).toMatchObject({
        key: 'VAULT_SERVER_URL',
        value: 'c2VjcmV0LXZhbHVl',
        masked: true,
        protected: true,
        raw: false,
        description: 'vault',
      });

      await as(owner).delete(`${base}/VAULT_SERVER_URL`).expect(204);
      const gone = await as(owner).get(`${base}/VAULT_SERVER_URL`).expect(404);
      expect(gone.body).toEqual({ message: '404 Variable Not Found' });
    });

    it('lists variables a page at a time with GitLab pagination headers', async () => {
      for (const key of ['A', 'B', 'C']) await as(owner).post(base, { key, value: key.toLowerCase() }).expect(201);
      const first = await as(owner).get(`${base}?per_page=2`).expect(200);
      expect(first.body.map((v: { key: string }) => v.key)).toEqual(['A', 'B']);
      expect(first.headers).toMatchObject({ 'x-page': '1', 'x-per-page': '2', 'x-next-page': '2', 'x-total': '3', 'x-total-pages': '2' });
      const second = await as(owner).get(`${base}?per_page=2&page=2`).expect(200);
      expect(second.body.map((v: { key: string }) => v.key)).toEqual(['C']);
      expect(second.headers['x-next-page']).toBe('');
      expect((await as(owner).get(`${base}?per_page=101`).expect(200)).headers['x-per-page']).toBe('100');
    });

    it('rejects a duplicate key in the same scope and allows it in another', async () => {
      await as(owner).post(base, { key: 'TOKEN', value: 'one' }).expect(201);
      const duplicate = await as(owner).post(base, { key: 'TOKEN', value: 'two' }).expect(400);
      expect(duplicate.body).toEqual({ message: { key: ['(TOKEN) has already been taken'] } });
      const scoped = await as(owner).post(base, { key: 'TOKEN', value: 'prod', environment_scope: 'production' }).expect(201);
      expect(scoped.body.environment_scope).toBe('production');

      const ambiguous = await as(owner).get(`${base}/TOKEN`).expect(409);
      expect(ambiguous.body.message).toMatch(/filter\[environment_scope\]/);
      const filtered = await as(owner).get(`${base}/TOKEN?filter[environment_scope]=production`).expect(200);
      expect(filtered.body.value).toBe('prod');

      const clash = await as(owner).put(`${base}/TOKEN?filter[environment_scope]=production`, { environment_scope: '*' }).expect(400);
      expect(clash.body).toEqual({ message: { key: ['(TOKEN) has already been taken'] } });
      await as(owner).delete(`${base}/TOKEN?filter[environment_scope]=production`).expect(204);
      expect((await as(owner).get(`${base}/TOKEN`).expect(200)).body.value).toBe('one');
    });

    it.each([
      ['PUT', 'put'],
      ['DELETE', 'delete'],
      ['GET', 'get'],
    ] as const)('answers %s of an unknown key with 404 Variable Not Found', async (_verb, method) => {
      for (const key of ['MISSING', 'bad-key', '%00', 'A%0A']) {
        const response =
          method === 'put' ? await as(owner).put(`${base}/${key}`, { value: 'x' }) : await as(owner)[method](`${base}/${key}`);
        expect({ key, status: response.status, body: response.body }).toEqual({
          key,
          status: 404,
          body: { message: '404 Variable Not Found' },
        });
      }
    });
  });

  describe('validation', () => {
    let base: string;

    beforeAll(async () => {
      base = `/projects/${(await make.project(owner)).id}/variables`;
    });

    it.each([
      ['a dash', 'MY-KEY', [KEY_MESSAGE]],
      ['a space inside', 'MY KEY', [KEY_MESSAGE]],
      ['a non-ASCII letter', 'CLÉ', [KEY_MESSAGE]],
      ['an empty key', '', ["can't be blank", KEY_MESSAGE]],
      ['256 characters', 'K'.repeat(256), ['is too long (maximum is 255 characters)']],
    ])('rejects a key with %s', async (_case, key, reasons) => {
      const response = await as(owner).post(base, { key, value: 'v' }).expect(400);
      expect(response.body).toEqual({ message: { key: expect.arrayContaining(reasons) } });
      expect(response.body.message.key).toHaveLength(reasons.length);
    });

    it('rejects a missing key and a missing value', async () => {
      const response = await as(owner).post(base, {}).expect(400);
      expect(refusedFields(response.body).sort()).toEqual(['key', 'value']);
    });

    it('strips the key and accepts 255 characters, as GitLab', async () => {
      const created = await as(owner)
        .post(base, { key: `  ${'K'.repeat(255)} `, value: 'v' })
        .expect(201);
      expect(created.body.key).toBe('K'.repeat(255));
    });

    it.each([
      ['7 characters', 'abcdefg'],
      ['a space', 'abcd efgh'],
      ['a newline', 'abcdefgh\nijkl'],
      ['a trailing newline', 'abcdefgh\n'],
      ['a variable reference', 'abc$defgh'],
      ['a quote', 'abcdefgh"'],
      ['a non-ASCII letter', 'abcdéfghi'],
    ])('rejects a masked value with %s', async (_case, value) => {
      const response = await as(owner).post(base, { key: 'MASKED', value, masked: true }).expect(400);
      expect(response.body).toEqual({ message: { value: ['is invalid'] } });
    });

    it.each([
      ['the Base64 alphabet', 'QUJDREVGR0g+/=='],
      ['the extra characters @ : . ~ - _', 'user@host:8.0~a-b_c'],
      ['exactly 8 characters', 'abcdefgh'],
    ])('accepts a masked value with %s', async (_case, value) => {
      const key = `OK_${Math.random().toString(36).slice(2, 10)}`;
      const response = await as(owner).post(base, { key, value, masked: true }).expect(201);
      expect(response.body).toMatchObject({ key, value, masked: true });
    });

    it('accepts any non-space characters in a masked raw value (GitLab MASK_AND_RAW_REGEX)', async () => {
      await as(owner).post(base, { key: 'RAW_MASKED', value: 'p@$$w0rd"!', masked: true, raw: true }).expect(201);
      const spaced = await as(owner).post(base, { key: 'RAW_SPACED', value: 'p@$$ w0rd', masked: true, raw: true }).expect(400);
      expect(spaced.body).toEqual({ message: { value: ['is invalid'] } });
    });

    it('checks the masked rule against the merged state on update', async () => {
      await as(owner).post(base, { key: 'SHORT', value: 'short' }).expect(201);
      const masking = await as(owner).put(`${base}/SHORT`, { masked: true }).expect(400);
      expect(masking.body).toEqual({ message: { value: ['is invalid'] } });
      await as(owner).post(base, { key: 'HIDDEN', value: 'long-enough', masked: true }).expect(201);
      const shortening = await as(owner).put(`${base}/HIDDEN`, { value: 'tiny' }).expect(400);
      expect(shortening.body).toEqual({ message: { value: ['is invalid'] } });
      expect((await as(owner).get(`${base}/SHORT`).expect(200)).body.masked).toBe(false);
    });

    it('accepts values of up to 10000 characters', async () => {
      await as(owner)
        .post(base, { key: 'BIG', value: 'x'.repeat(10_000) })
        .expect(201);
      const response = await as(owner)
        .post(base, { key: 'TOO_BIG', value: 'x'.repeat(10_001) })
        .expect(400);
      expect(response.body).toEqual({ message: { value: ['is too long (maximum is 10000 characters)'] } });
    });

    it('accepts booleans as JSON booleans or "true"/"false" strings, form-encoded too', async () => {
      const json = await as(owner).post(base, { key: 'BOOL_JSON', value: 'v', protected: true, raw: false }).expect(201);
      expect(json.body).toMatchObject({ protected: true, raw: false });
      const strings = await as(owner)
        .post(base, { key: 'BOOL_STRING', value: 'v', protected: 'true', raw: 'false', masked: 'false' })
        .expect(201);
      expect(strings.body).toMatchObject({ protected: true, raw: false, masked: false });
      const form = await api.http
        .post(`/api/v4${base}`)
        .set('PRIVATE-TOKEN', owner.token)
        .type('form')
        .send('key=BOOL_FORM&value=abc&protected=true&variable_type=file')
        .expect(201);
      expect(form.body).toMatchObject({ key: 'BOOL_FORM', protected: true, variable_type: 'file' });
    });

    it.each([
      [{ key: 'X1', value: 'v', protected: 'yes please' }, 'protected'],
      [{ key: 'X2', value: 'v', masked: {} }, 'masked'],
      [{ key: 'X3', value: 'v', variable_type: 'secret' }, 'variable_type'],
      [{ key: 'X4', value: ['v'] }, 'value'],
      [{ key: 'X5', value: 'v', environment_scope: 'prod;drop' }, 'environment_scope'],
      [{ key: 'X6', value: 'v', environment_scope: '' }, 'environment_scope'],
      [{ key: 'X7', value: 'v', description: 'd'.repeat(256) }, 'description'],
      [{ key: 'X8', value: 'nul\u0000byte' }, 'value'],
    ])('rejects %j with 400 naming %s', async (body, field) => {
      const response = await as(owner).post(base, body).expect(400);
      expect(refusedFields(response.body)).toEqual([field]);
    });

    it('rejects a malformed filter with 400', async () => {
      const response = await as(owner).get(`${base}/BIG?filter=production`).expect(400);
      expect(refusedFields(response.body)).toEqual(['filter']);
    });
  });

  describe('access', () => {
    it('lets project maintainers manage variables, not developers (403) or outsiders (404)', async () => {
      const project = await make.project(owner);
      const [maintainer, developer, outsider] = await Promise.all([createUser(api), createUser(api), createUser(api)]);
      await make.addMember(owner, `projects/${project.id}`, maintainer, 40);
      await make.addMember(owner, `projects/${project.id}`, developer, 30);
      const base = `/projects/${project.id}/variables`;
      await as(maintainer).post(base, { key: 'M', value: 'm' }).expect(201);
      const forbidden = await as(developer).get(base).expect(403);
      expect(forbidden.body).toEqual({ message: '403 Forbidden' });
      await as(developer).post(base, { key: 'D', value: 'd' }).expect(403);
      const hidden = await as(outsider).get(`${base}/M`).expect(404);
      expect(hidden.body).toEqual({ message: '404 Project Not Found' });
      await api.http.get(`/api/v4${base}`).expect(401);
    });

    it('lets only group owners manage group variables; an owner of the parent group inherits it', async () => {
      const root = await make.group(owner);
      const sub = await make.group(owner, { parent_id: root.id });
      const maintainer = await createUser(api);
      await make.addMember(owner, `groups/${root.id}`, maintainer, 40);
      await as(maintainer).post(`/groups/${sub.id}/variables`, { key: 'G', value: 'g' }).expect(403);
      await as(maintainer).get(`/groups/${root.id}/variables`).expect(403);
      const inherited = await as(owner).post(`/groups/${sub.id}/variables`, { key: 'G', value: 'g' }).expect(201);
      expect(inherited.body.key).toBe('G');
      const byPath = await as(owner)
        .get(`/groups/${encodeURIComponent(sub.full_path)}/variables/G`)
        .expect(200);
      expect(byPath.body.value).toBe('g');
    });
  });

  describe('the variables a job gets', () => {
    it('resolves root → subgroup → project, nearer wins, protected only for protected refs', async () => {
      const root = await make.group(owner);
      const sub = await make.group(owner, { parent_id: root.id });
      const project = await make.project(owner, { namespace_id: sub.id });
      const define = async (url: string, key: string, value: string, extra: object = {}) =>
        as(owner)
          .post(`${url}/variables`, { key, value, ...extra })
          .expect(201);
      await define(`/groups/${root.id}`, 'SHARED', 'root');
      await define(`/groups/${root.id}`, 'ROOT_ONLY', 'root');
      await define(`/groups/${root.id}`, 'ROOT_SECRET', 'root', { protected: true });
      await define(`/groups/${sub.id}`, 'SHARED', 'sub');
      await define(`/groups/${sub.id}`, 'OVERRIDDEN', 'sub');
      await define(`/projects/${project.id}`, 'OVERRIDDEN', 'project');
      await define(`/projects/${project.id}`, 'DEPLOY_KEY', 'project', { protected: true });
      await define(`/projects/${project.id}`, 'TARGET', 'any');
      await define(`/projects/${project.id}`, 'TARGET', 'prod', { environment_scope: 'production' });
      await define(`/projects/${project.id}`, 'TARGET', 'review', { environment_scope: 'review/*' });

      const resolve = async (options: JobVariableOptions) => (await jobVariables(project.id, options)).map((v) => [v.key, v.value]);

      expect(await resolve({ protectedRef: false })).toEqual([
        ['ROOT_ONLY', 'root'],
        ['SHARED', 'sub'],
        ['OVERRIDDEN', 'project'],
        ['TARGET', 'any'],
      ]);
      expect(await resolve({ protectedRef: true })).toEqual([
        ['ROOT_ONLY', 'root'],
        ['ROOT_SECRET', 'root'],
        ['SHARED', 'sub'],
        ['OVERRIDDEN', 'project'],
        ['DEPLOY_KEY', 'project'],
        ['TARGET', 'any'],
      ]);
      expect(Object.fromEntries(await resolve({ protectedRef: false, environment: 'production' })).TARGET).toBe('prod');
      expect(Object.fromEntries(await resolve({ protectedRef: false, environment: 'review/feature-1' })).TARGET).toBe('review');
      expect(Object.fromEntries(await resolve({ protectedRef: false, environment: 'staging' })).TARGET).toBe('any');
    });

    it('gives a project in a personal namespace only its own variables', async () => {
      const project = await make.project(owner);
      await as(owner).post(`/projects/${project.id}/variables`, { key: 'MINE', value: 'v' }).expect(201);
      const variables = await jobVariables(project.id, { protectedRef: false });
      expect(variables.map((v) => v.key)).toEqual(['MINE']);
    });
  });
});
