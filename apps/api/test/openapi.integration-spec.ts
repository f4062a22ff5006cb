import SwaggerParser from '@apidevtools/swagger-parser';
import { listErrorResponses } from '../src/http-errors/error-table';
import { TestApp, startTestApp } from './support/test-app';

interface Operation {
  operationId: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Record<string, unknown> }[];
  requestBody?: unknown;
  responses: Record<
    string,
    { content?: Record<string, { schema?: Record<string, unknown>; examples?: Record<string, { value: unknown }> }> }
  >;
}

type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

function operations(document: Document): { name: string; path: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, path, operation })),
  );
}

describe('GET /api/v4/openapi.json (issue 18 item 12)', () => {
  let api: TestApp;
  let document: Document;

  beforeAll(async () => {
    api = await startTestApp();
    document = (await api.http.get('/api/v4/openapi.json').expect(200)).body as Document;
  });

  afterAll(() => api.close());

  it('is a valid OpenAPI 3.1 document for @apidevtools/swagger-parser (every $ref resolves)', async () => {
    expect(document.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('declares every {parameter} of every route template as a required path parameter', () => {
    const missing = operations(document).flatMap(({ name, path, operation }) =>
      [...path.matchAll(/\{([^}]+)\}/g)]
        .map(([, param]) => param)
        .filter((param) => !operation.parameters?.some((p) => p.in === 'path' && p.name === param && p.required === true))
        .map((param) => `${name} {${param}}`),
    );
    expect(missing).toEqual([]);
    expect(operations(document).length).toBeGreaterThan(100);
  });

  it('declares a schema for the body of every success response (none only for 202 and 204)', () => {
    const missing = operations(document)
      .filter(({ operation }) => {
        const success = Object.entries(operation.responses).filter(([status]) => status.startsWith('2'));
        const withSchema = success.some(([, response]) => Object.values(response.content ?? {}).some((media) => media.schema));
        return !withSchema && !success.some(([status]) => status === '202' || status === '204');
      })
      .map(({ name }) => name);
    expect(missing).toEqual([]);
  });

  it('declares error responses for every operation that takes a token or input', () => {
    const missing = operations(document)
      .filter(({ operation }) => operation.security?.length !== 0 || (operation.parameters ?? []).length > 0 || operation.requestBody)
      .filter(({ operation }) => !Object.keys(operation.responses).some((status) => /^[45]/.test(status)))
      .map(({ name }) => name);
    expect(missing).toEqual([]);
  });

  it("lists the error table's codes of the route's module, each with the body the API answers", () => {
    const update = document.paths['/api/v4/runners/{id}'].put;
    const notFound = update.responses['404'].content!['application/json'];
    const table = listErrorResponses().find((entry) => entry.module === 'runners' && entry.code === 'RUNNER_NOT_FOUND')!;
    expect(notFound.examples!['runners.RUNNER_NOT_FOUND'].value).toEqual(table.body);
    expect(notFound.examples!['runners.RUNNER_NOT_FOUND'].value).toEqual({ message: '404 Runner Not Found' });
    expect(Object.keys(update.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '404', '503']));
    // A public runner endpoint (token in the body) needs no personal token: no 401, and no document-wide security.
    const verify = document.paths['/api/v4/runners/verify'].post;
    expect(verify.security).toEqual([]);
    expect(verify.responses['401']).toBeUndefined();
  });

  it("lists a code another module answers for the route: the pickup's refused runner token (403), and only it", () => {
    const pickup = document.paths['/api/v4/jobs/request'].post;
    const refused = pickup.responses['403'].content!['application/json'].examples!;
    expect(Object.keys(refused)).toEqual(['runners.RUNNER_TOKEN_REFUSED']);
    expect(refused['runners.RUNNER_TOKEN_REFUSED'].value).toEqual({ message: '403 Forbidden' });
    expect(pickup.responses['404']).toBeUndefined();
  });

  it('declares the query parameters of the route’s query class, with their rules', () => {
    const parameters = document.paths['/api/v4/projects/{id}/runners'].get.parameters!;
    const byName = new Map(parameters.map((parameter) => [`${parameter.in}:${parameter.name}`, parameter]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['path:id', 'query:page', 'query:per_page', 'query:type', 'query:tag_list']));
    expect(byName.get('query:per_page')!.schema).toMatchObject({ minimum: 1, maximum: 100 });
    expect(byName.get('query:type')!.schema!.enum).toEqual(['instance_type', 'group_type', 'project_type']);
  });

  it('describes a body the API really sends: every field of GET /user, and no other', async () => {
    const user = await api.http.get('/api/v4/user').set('PRIVATE-TOKEN', api.rootToken).expect(200);
    const schema = document.paths['/api/v4/user'].get.responses['200'].content!['application/json'].schema!;
    expect(Object.keys(schema.properties as object).sort()).toEqual(Object.keys(user.body).sort());
    expect((schema.required as string[]).sort()).toEqual(Object.keys(user.body).sort());
  });

  it('answers a paginated list with the array of its items, not the Page object', () => {
    const schema = document.paths['/api/v4/projects/{id}/runners'].get.responses['200'].content!['application/json'].schema!;
    expect(schema.type).toBe('array');
    expect(Object.keys((schema.items as { properties: object }).properties)).toEqual(
      expect.arrayContaining(['id', 'status', 'runner_type']),
    );
  });

  it('references no schema that does not exist, and keeps none that nothing references', () => {
    const text = JSON.stringify(document);
    const referenced = new Set([...text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map(([, name]) => name));
    expect([...referenced].filter((name) => !(name in document.components.schemas))).toEqual([]);
    expect(Object.keys(document.components.schemas).filter((name) => !referenced.has(name))).toEqual([]);
  });
});
