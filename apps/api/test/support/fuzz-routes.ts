import {
  type FuzzIdentity,
  type FuzzRequest,
  HOSTILE_BODIES,
  HOSTILE_QUERY_SHAPES,
  HOSTILE_SEGMENTS,
  HOSTILE_TEXT,
  HOSTILE_VALUES,
  type Pick,
  encodeEvery,
  hostileCiYaml,
} from './fuzz-requests';

interface Schema {
  readonly type?: string;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly properties?: Record<string, Schema>;
  readonly $ref?: string;
}

interface OpenApi {
  readonly paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
  readonly components: { readonly schemas: Record<string, Schema> };
}

export interface FuzzRoute {
  readonly method: string;
  readonly template: string;
  /** `{x}` segments, read from the template itself (the document's parameter lists may lag behind). */
  readonly params: readonly string[];
  readonly body: Record<string, Schema> | null;
}

/** Routes whose success would cut the fuzz pass's own ground away: reached with hostile path values only, or never. */
const NEVER: ReadonlySet<string> = new Set([
  'DELETE /api/v4/personal_access_tokens/self',
  'POST /api/v4/personal_access_tokens/self/rotate',
  // Minting an RSA key takes seconds on a loaded machine; key routes are fuzzed through their `{kid}` routes.
  'POST /api/v4/admin/ci/id_token_signing_keys',
]);
const HOSTILE_PATHS_ONLY =
  /^(DELETE|POST \/api\/v4\/(users\/\{id\}\/(un)?block|runners\/\{id\}\/reset_authentication_token|personal_access_tokens\/\{id\}\/rotate))/;

export function fuzzRoutes(document: OpenApi): FuzzRoute[] {
  const routes: FuzzRoute[] = [];
  for (const [template, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (NEVER.has(`${method.toUpperCase()} ${template}`)) continue;
      const schema = operation.requestBody?.content?.['application/json']?.schema;
      const resolved = schema?.$ref ? document.components.schemas[schema.$ref.split('/').pop()!] : schema;
      const params = [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      routes.push({ method: method.toUpperCase(), template, params, body: resolved?.properties ?? null });
    }
  }
  return routes;
}

/** What each `{param}` names when it is meant to reach a real resource of the fixture. */
const REAL_PARAMS: Record<string, string> = {
  file_path: '.gitlab-ci.yml',
  branch: 'main',
  sha: 'main',
  tag_name: 'v1',
  name: 'main',
  key: 'DEPLOY',
  user_id: '{user}',
  pipeline_id: '{pipeline}',
  job_id: '{job}',
  iid: '1',
  kid: 'unknown-kid',
  environment_id: '1',
};

function realParam(template: string, param: string): string {
  if (param !== 'id') return REAL_PARAMS[param] ?? '1';
  const owner = /^\/api\/v4\/(projects|groups|users|runners|jobs|personal_access_tokens)\//.exec(template)?.[1];
  const placeholders: Record<string, string> = {
    projects: '{project}',
    groups: '{group}',
    users: '{user}',
    runners: '{runner}',
    jobs: '{job}',
  };
  return placeholders[owner ?? ''] ?? '1';
}

/** A value of the schema's type a valid request could carry: the base a single hostile field is swapped into. */
function plausible(name: string, schema: Schema, unique: string): unknown {
  // A project runner: an instance runner left behind would be in other files' instance-wide lists.
  if (name === 'runner_type') return 'project_type';
  if (schema.enum?.length) return schema.enum[0];
  if (/^(project_id|target_project_id)$/.test(name)) return '{project}';
  if (/^(group_id|namespace_id|parent_id)$/.test(name)) return '{group}';
  if (name === 'user_id') return '{user}';
  if (/^(ref|branch|target_branch|start_branch|default_branch)$/.test(name)) return 'main';
  if (name === 'content') return 'fuzz:\n  script: [make]\n';
  if (name === 'dry_run' || name === 'include_jobs') return true;
  if (name === 'key') return `FUZZ_${unique}`;
  switch (schema.type) {
    case 'integer':
    case 'number':
      return Math.max(schema.minimum ?? 1, 1);
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return `fuzz-${unique}`;
  }
}

/**
 * Who asks: the admin, nobody, a developer of the fixture's group (the permission checks' paths) and, on the
 * routes a runner or job calls, the runner's and the job's tokens.
 */
export function identitiesFor(route: FuzzRoute): FuzzIdentity[] {
  const runnerSide = /^\/api\/v4\/(jobs|job$|runners\/verify|runners$|runners\/managers)/.test(route.template);
  return runnerSide ? ['admin', 'anonymous', 'developer', 'token'] : ['admin', 'anonymous', 'developer'];
}

/** One hostile request for a route: a bad path value, query, body field, whole body or percent-encoded credential. */
export function hostileRequest(route: FuzzRoute, as: FuzzIdentity, pick: Pick, unique: string, credential: string): FuzzRequest {
  const kinds = [
    'query',
    'credential',
    ...(route.params.length ? ['path', 'path'] : []),
    ...(route.body ? ['field', 'field', 'body'] : []),
  ];
  const kind = pick(kinds);
  const hostilePath = kind === 'path' || HOSTILE_PATHS_ONLY.test(`${route.method} ${route.template}`);
  const target = hostilePath && route.params.length ? pick(route.params) : null;
  let path = route.template.replace(/\{([^}]+)\}/g, (_m, param: string) =>
    param === target
      ? pick(HOSTILE_SEGMENTS)
      : encodeURIComponent(realParam(route.template, param)).replace(/%7B|%7D/g, (b) => (b === '%7B' ? '{' : '}')),
  );
  if (kind === 'query') {
    const name = pick([
      'page',
      'per_page',
      'ref',
      'scope',
      'status',
      'search',
      'sort',
      'order_by',
      'visibility',
      'filter',
      'effective',
      'state',
      'type',
      'tag_list',
    ]);
    path += `?${pick(HOSTILE_QUERY_SHAPES)(encodeURIComponent(name), encodeEvery(pick(HOSTILE_TEXT)).slice(0, 6_000))}`;
  }
  if (kind === 'credential') {
    const name = pick([
      'private_token',
      'private%5Ftoken',
      '%70rivate_token',
      'job_token',
      'job%5Ftoken',
      'token',
      'to%6Ben',
      'access_token',
    ]);
    path += `?${name}=${pick([encodeEvery(credential), encodeURIComponent(credential), `${credential}%00`, `x${credential}`])}&page=2`;
  }
  const base =
    route.body === null
      ? undefined
      : Object.fromEntries(Object.entries(route.body).map(([name, schema]) => [name, plausible(name, schema, unique)]));
  if (kind === 'body') {
    const body = pick(HOSTILE_BODIES);
    return { method: route.method, path, as, raw: body.raw, rawHex: body.rawHex, contentType: body.contentType, note: body.note };
  }
  if (kind === 'field' && route.body) {
    const field = pick([...Object.keys(route.body), '__proto__', 'constructor', 'id']);
    const body = { ...base };
    // A CI file is the richest input there is: half the time it gets a hostile configuration, not a hostile value.
    const value = field === 'content' && pick([true, false]) ? hostileCiYaml(pick) : pick(HOSTILE_VALUES);
    Object.defineProperty(body, field, { value, enumerable: true });
    return { method: route.method, path, as, body, note: `field ${field}` };
  }
  return { method: route.method, path, as, body: base, note: kind };
}
