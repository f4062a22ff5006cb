/**
 * GitLab's pipeline sources (`Enums::Ci::Pipeline.sources`), the values of `CI_PIPELINE_SOURCE`. A tag pipeline is a
 * `push` (or `web`, `api`…) on a tag: "tag" is a ref type, not a source.
 */
export const PIPELINE_SOURCES = [
  'unknown',
  'push',
  'web',
  'trigger',
  'schedule',
  'api',
  'external',
  'pipeline',
  'chat',
  'webide',
  'merge_request_event',
  'external_pull_request_event',
  'parent_pipeline',
  'ondemand_dast_scan',
  'ondemand_dast_validation',
  'security_orchestration_policy',
  'container_registry_push',
  'duo_workflow',
  'pipeline_execution_policy_schedule',
] as const;

export type PipelineSource = (typeof PIPELINE_SOURCES)[number];

/**
 * The `only`/`except` keywords a source answers to: its name without `_event`, and ActiveSupport's `pluralize` of it
 * (`push`/`pushes`, `merge_request`/`merge_requests`, `api`/`apis`, `security_orchestration_policy`/`…policies`).
 */
export function sourceKeywords(source: PipelineSource): readonly [string, string] {
  const name = source.endsWith('_event') ? source.slice(0, -'_event'.length) : source;
  if (/(?:s|sh|ch|x|z)$/.test(name)) return [name, `${name}es`];
  if (/[^aeiou]y$/.test(name)) return [name, `${name.slice(0, -1)}ies`];
  return [name, `${name}s`];
}
