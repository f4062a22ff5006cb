import type { OpenAPIObject, OperationObject, ParameterObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { ERROR_SCHEMA, ERROR_SCHEMA_NAME, errorResponses } from './openapi-errors';
import type { RouteFacts } from './openapi-routes';

/** A handler's body as tools/openapi-responses.ts read it from its return type: `null` for none, `'manual'` when it writes its own. */
export type HandlerResponse = SchemaObject | null | 'manual';

export interface CompletionSources {
  readonly routes: ReadonlyMap<string, RouteFacts>;
  /** Every DTO's schema (class-validator-jsonschema), by class name. */
  readonly dtoSchemas: Readonly<Record<string, SchemaObject>>;
  readonly responses: Readonly<Record<string, HandlerResponse>>;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Statuses whose answer has no body by definition here: 204, and the runner protocol's 202 (its answer is headers). */
const BODILESS = new Set(['202', '204']);

/** Every operation of the document, with its path and method. */
export function operationsOf(document: OpenAPIObject): { path: string; method: string; operation: OperationObject }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => (item[method] ? [{ path, method, operation: item[method] }] : [])),
  );
}

/** `RunnersController_resetToken` (or `…_jwks[1]` for a handler on two paths) → the handler's key. */
export function handlerKey(operation: OperationObject): string {
  return (operation.operationId ?? '').replace(/\[\d+\]$/, '');
}

/**
 * Adds what @nestjs/swagger cannot see to every operation: the path parameters its route template names, the query
 * parameters of its `@Query()` class, a summary, its response body and its error responses (from the error table).
 * Works on any controller as it is written, so a new route is documented without a decorator.
 */
export function completeDocument(document: OpenAPIObject, sources: CompletionSources): void {
  for (const { path, operation } of operationsOf(document)) {
    const key = handlerKey(operation);
    const route = sources.routes.get(key);
    const declared = (operation.parameters ?? []) as ParameterObject[];
    const parameters = [...pathParameters(path, declared), ...queryParameters(route, declared, sources.dtoSchemas)];
    operation.parameters = [...declared.filter((parameter) => parameter.in !== 'path'), ...parameters].filter(
      (parameter, index, all) => all.findIndex((other) => other.in === parameter.in && other.name === parameter.name) === index,
    );
    operation.summary ??= summaryOf(key);
    if (route?.isPublic) operation.security = []; // no token needed, whatever the document's default
    describeBody(operation, sources.responses[key], route);
    const takesInput = operation.parameters.length > 0 || operation.requestBody !== undefined;
    operation.responses = { ...errorResponses(route, takesInput), ...operation.responses };
  }
  document.components = { ...document.components, schemas: { ...document.components?.schemas, [ERROR_SCHEMA_NAME]: ERROR_SCHEMA } };
}

/** Each `{name}` of the template, as declared (typed from its pipe) or else as GitLab takes it: a string (an id or a path). */
function pathParameters(path: string, declared: ParameterObject[]): ParameterObject[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map(
    ([, name]) =>
      declared.find((parameter) => parameter.in === 'path' && parameter.name === name) ?? {
        name,
        in: 'path',
        required: true,
        schema: { type: 'string' },
      },
  );
}

function queryParameters(
  route: RouteFacts | undefined,
  declared: ParameterObject[],
  dtoSchemas: CompletionSources['dtoSchemas'],
): ParameterObject[] {
  const schema = route?.queryClass && dtoSchemas[route.queryClass.name];
  if (!schema) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .filter(([name]) => !declared.some((parameter) => parameter.in === 'query' && parameter.name === name))
    .map(([name, property]) => ({ name, in: 'query' as const, required: required.has(name), schema: property }));
}

/** `RunnersController_resetToken` → `Runners: reset token`. */
function summaryOf(key: string): string {
  const [controller, method] = key.split('_');
  const words = (name: string) => name.replace(/([A-Z])/g, ' $1').trim();
  return `${words(controller.replace(/Controller$/, ''))}: ${words(method).toLowerCase()}`;
}

/** The success response's body, unless a decorator already declared it. */
function describeBody(operation: OperationObject, body: HandlerResponse | undefined, route: RouteFacts | undefined): void {
  const success = Object.entries(operation.responses).find(([status]) => /^2/.test(status));
  if (!success || !body || body === 'manual') return;
  const [status, response] = success;
  if (!response || '$ref' in response || response.content) return;
  const mediaTypes = route?.mediaTypes.length ? route.mediaTypes : [body.type === 'string' ? 'text/plain' : 'application/json'];
  operation.responses[status] = {
    ...response,
    description: response.description || 'Success',
    content: Object.fromEntries(mediaTypes.map((type) => [type, { schema: body }])),
  };
}

/**
 * The operations the document leaves incomplete: a path parameter undeclared, no success response with a body schema
 * (unless a 202/204), or no error response. Empty for a complete document; the CI check and its test fail otherwise.
 */
export function incompleteOperations(document: OpenAPIObject): string[] {
  return operationsOf(document).flatMap(({ path, method, operation }) => {
    const name = `${method.toUpperCase()} ${path}`;
    const parameters = (operation.parameters ?? []) as (ParameterObject | ReferenceObject)[];
    const gaps: string[] = [];
    for (const [, param] of path.matchAll(/\{([^}]+)\}/g)) {
      if (!parameters.some((parameter) => 'in' in parameter && parameter.in === 'path' && parameter.name === param)) {
        gaps.push(`${name}: path parameter {${param}} undeclared`);
      }
    }
    const statuses = Object.keys(operation.responses);
    const success = statuses.filter((status) => /^2/.test(status));
    const hasBodySchema = success.some((status) => {
      const response = operation.responses[status];
      return (
        response !== undefined && !('$ref' in response) && Object.values(response.content ?? {}).some((media) => media.schema !== undefined)
      );
    });
    if (!hasBodySchema && !success.some((status) => BODILESS.has(status))) gaps.push(`${name}: no response body schema`);
    // Only a route anyone may call without input (liveness, discovery, the JWKS) has nothing to refuse.
    const refusesNothing = operation.security?.length === 0 && parameters.length === 0 && operation.requestBody === undefined;
    if (!refusesNothing && !statuses.some((status) => /^[45]/.test(status))) gaps.push(`${name}: no error response`);
    return gaps;
  });
}
