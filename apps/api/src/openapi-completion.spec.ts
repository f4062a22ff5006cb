import type { OpenAPIObject } from '@nestjs/swagger';
import { completeDocument, incompleteOperations } from './openapi-completion';
import type { RouteFacts } from './openapi-routes';

class ListThingsQuery {}

function documentOf(paths: OpenAPIObject['paths']): OpenAPIObject {
  return { openapi: '3.1.0', info: { title: 't', version: '1' }, paths, components: { schemas: {} } };
}

const facts = (overrides: Partial<RouteFacts> = {}): RouteFacts => ({
  sections: ['runners'],
  isPublic: false,
  mediaTypes: [],
  ...overrides,
});

describe('completeDocument', () => {
  it('declares each {parameter} of the template, keeping a typed declaration, and the query class as parameters', () => {
    const document = documentOf({
      '/projects/{id}/things/{thing_id}': {
        get: {
          operationId: 'ThingsController_list',
          parameters: [{ name: 'thing_id', in: 'path', required: true, schema: { type: 'number' } }],
          responses: { '200': { description: '' } },
        },
      },
    });
    completeDocument(document, {
      routes: new Map([['ThingsController_list', facts({ queryClass: ListThingsQuery })]]),
      dtoSchemas: {
        ListThingsQuery: { type: 'object', properties: { page: { type: 'number' }, ref: { type: 'string' } }, required: ['ref'] },
      },
      responses: { ThingsController_list: { type: 'array', items: { type: 'string' } } },
    });
    const operation = document.paths['/projects/{id}/things/{thing_id}'].get!;
    expect(operation.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'thing_id', in: 'path', required: true, schema: { type: 'number' } },
      { name: 'page', in: 'query', required: false, schema: { type: 'number' } },
      { name: 'ref', in: 'query', required: true, schema: { type: 'string' } },
    ]);
    expect(operation.summary).toBe('Things: list');
    expect(operation.responses['200']).toEqual({
      description: 'Success',
      content: { 'application/json': { schema: { type: 'array', items: { type: 'string' } } } },
    });
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '404', '503']));
    expect(incompleteOperations(document)).toEqual([]);
  });

  it('gives a public route no security requirement and no authentication errors', () => {
    const document = documentOf({
      '/runners/verify': {
        post: { operationId: 'RunnersController_verify', requestBody: { content: {} }, responses: { '200': { description: '' } } },
      },
    });
    completeDocument(document, {
      routes: new Map([['RunnersController_verify', facts({ isPublic: true })]]),
      dtoSchemas: {},
      responses: { RunnersController_verify: { type: 'object' } },
    });
    const operation = document.paths['/runners/verify'].post!;
    expect(operation.security).toEqual([]);
    expect(operation.responses['401']).toBeUndefined();
    expect(operation.responses['404']).toBeDefined(); // runners.RUNNER_NOT_FOUND, from the table
  });

  it('finds the operations a stale openapi-responses.json leaves without a body schema; a 204 needs none', () => {
    const document = documentOf({
      '/things/{id}': {
        get: { operationId: 'ThingsController_show', responses: { '200': { description: '' } } },
        delete: { operationId: 'ThingsController_remove', responses: { '204': { description: '' } } },
      },
    });
    const routes = new Map([
      ['ThingsController_show', facts()],
      ['ThingsController_remove', facts()],
    ]);
    completeDocument(document, { routes, dtoSchemas: {}, responses: { ThingsController_remove: null } });
    expect(incompleteOperations(document)).toEqual(['GET /things/{id}: no response body schema']);
  });
});
