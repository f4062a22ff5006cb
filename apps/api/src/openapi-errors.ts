import type { ResponseObject, SchemaObject } from '@nestjs/swagger';
import { ApiError } from './common/api-error';
import { ERROR_TABLE, listErrorResponses } from './http-errors/error-table';
import type { RouteFacts } from './openapi-routes';

export const ERROR_SCHEMA_NAME = 'GitLabError';

/**
 * GitLab's two error shapes: `{"message": …}` (a reason, field → reasons, or a list) and Grape's `{"error": …}`, which
 * may carry more string fields (`error_description`, `failure_reason`, …).
 */
export const ERROR_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: { type: 'string' },
  properties: {
    message: {
      oneOf: [
        { type: 'string' },
        { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
        { type: 'array', items: { type: 'string' } },
      ],
    },
    error: { type: 'string' },
  },
};

interface Example {
  readonly name: string;
  readonly status: number;
  readonly body: ApiError['body'];
}

const TABLE_EXAMPLES = new Map(
  ERROR_TABLE.map(({ module }) => [
    module,
    listErrorResponses()
      .filter((entry) => entry.module === module)
      .map(({ code, status, body }): Example => ({ name: `${module}.${code}`, status, body })),
  ]),
);

/** A section's codes (`runners`), or one code of it (`runners.RUNNER_TOKEN_REFUSED`). */
function examplesOf(section: string): Example[] {
  const [module, code] = section.split('.');
  return (TABLE_EXAMPLES.get(module) ?? []).filter((example) => code === undefined || example.name === section);
}

/**
 * Answered before any module runs: a missing or refused token, input the validation pipe refuses, and (the token
 * lookup reads it) a database that cannot be reached, with Retry-After (the exception filter's answer).
 */
const UNAVAILABLE: Example = { name: 'database-unavailable', status: 503, body: { message: '503 Service Unavailable' } };
const UNAUTHENTICATED: Example = { name: 'unauthenticated', status: 401, body: ApiError.unauthorized().body };
const INVALID_INPUT: Example = {
  name: 'invalid-input',
  status: 400,
  body: ApiError.invalidField('name', 'must be a string').body,
};

/**
 * The error responses of one operation, from the error table: the codes of its sections (its module's and any
 * `@AlsoAnswers` adds) and, unless anyone
 * may call it, the authentication answer and the `auth` section's (visibility and access level). One response per
 * status, with each code as a named example of its body.
 */
export function errorResponses(facts: RouteFacts | undefined, takesInput: boolean): Record<string, ResponseObject> {
  const examples = [
    ...(takesInput ? [INVALID_INPUT] : []),
    ...(facts?.isPublic ? [] : [UNAUTHENTICATED, ...(TABLE_EXAMPLES.get('auth') ?? []), UNAVAILABLE]),
    ...(facts?.sections ?? []).filter((section) => section !== 'auth').flatMap(examplesOf),
  ];
  const byStatus = new Map<number, Example[]>();
  for (const example of examples) byStatus.set(example.status, [...(byStatus.get(example.status) ?? []), example]);
  const responses: Record<string, ResponseObject> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: list.map(({ name }) => name).join(', '),
      content: {
        'application/json': {
          schema: { $ref: `#/components/schemas/${ERROR_SCHEMA_NAME}` },
          examples: Object.fromEntries(list.map(({ name, body }) => [name, { value: body }])),
        },
      },
    };
  }
  return responses;
}
