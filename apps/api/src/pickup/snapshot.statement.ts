import { AWS_SESSION_TAGS_CLAIM, GROUPS_DIRECT_LIMIT } from '@lanyard/id-tokens';
import { PREPARED_MARK } from '../database/prepared-statements';
import { membershipsSql, namespaceFullPathSql, projectFullPathSql, reclaimedPathSql } from '../database/sql-fragments';
import type { Runner } from '../runners/runner.entity';

/** GitLab's `CI_OPEN_MERGE_REQUESTS` names at most four merge requests. */
const OPEN_MERGE_REQUESTS_LIMIT = 4;

/**
 * The pickup's one read: a job and everything its payload and tokens are decided from, as one row of JSON columns
 * (`SnapshotRow`). Two ways in share every CTE after `job`:
 * - claim (one statement per runner scope): take the oldest queued job in the runner's scope off the queue, only while
 *   the runner's row is active and holds the token's digest (share-locked), and only if the job is still `pending`;
 * - preview: a job not created yet, given as JSON (`DraftJob`), read the same way.
 * Parameters: claim `$1` scope id (null for instance runners), `$2` runner id, `$3` its token's digest, `$4` today
 * (UTC date: memberships end on their expiry day), `$5` the signing key to share-lock (null: none); preview `$1` the
 * draft, `$2` today. The rendered statements are committed beside this file (`*.sql`).
 */

/**
 * GitLab's runner matching (`Ci::Queue::BuildQueueService#builds_for_*`, `matches_tag_ids`, `with_any_tags`): the
 * runner's tags hold all of the job's, and an untagged job goes only to a runner with `run_untagged`. Read from the
 * runner's row (InitPlans, once per claim), so a change to its tags applies from the next poll.
 * One `coalesce(…, false)` keeps the same rows but not the planner's guess, which decides how the queue is read: it
 * takes a bare `<@` against an unknown array to keep 0.5 % of the rows, so it expected no second match in the scope
 * and chose to fetch every queued job of the project and sort them (about 1 ms with 2,000 queued, at every pickup)
 * over reading its index in order and stopping at the first job it can lock. An opaque boolean is guessed at one half.
 */
const TAGS_MATCH_SQL = `coalesce(tag_list <@ (SELECT tag_list FROM ci_runners WHERE id = $2)
       AND (cardinality(tag_list) > 0 OR (SELECT run_untagged FROM ci_runners WHERE id = $2)), false)`;

/**
 * Takes the oldest queued job in the runner's scope off the queue. Rows other pickups hold are skipped, never waited
 * on. One index per scope: project and group sort by `build_id + 0` on purpose, else the planner may walk the primary
 * key in order and filter each row, betting that a match comes soon (always so in the generic plan of the prepared
 * claim, which does not know the project), which reads every other pending job on an idle poll. The group id reaches
 * its GIN index through an InitPlan, so PostgreSQL does not re-plan on every idle poll.
 */
function claimedSql(runnerType: Runner['runnerType']): string {
  const scope = {
    project_type: ['project_id = $1', 'build_id + 0'],
    group_type: ['namespace_traversal_ids && (SELECT ARRAY[$1::bigint])', 'build_id + 0'],
    instance_type: ['$1::bigint IS NULL', 'build_id'],
  }[runnerType];
  return `claimed AS (
  DELETE FROM ci_pending_builds WHERE build_id = (
    SELECT build_id FROM ci_pending_builds
     WHERE EXISTS (SELECT 1 FROM ci_runners WHERE id = $2 AND token_digest = $3 AND active FOR SHARE)
       AND ${scope[0]}
       AND ${TAGS_MATCH_SQL}
     ORDER BY ${scope[1]} LIMIT 1 FOR UPDATE SKIP LOCKED)
  RETURNING build_id
), job AS MATERIALIZED (
  SELECT b.id, b.name, b.stage, b.stage_idx, b.protected, b.user_id, b.project_id,
         m.script, m.variables AS yaml_variables, m.id_tokens, m.secrets, m.jwt_claims, m.environment, m.job_timeout, m.config_options,
         p.id AS pipeline_id, p.source, p.created_at AS pipeline_created_at, p.sha, p.before_sha, p.ref, p.tag,
         -- Variables given when the job was played (GitLab's \`ci_job_variables\`) rank with the pipeline's, after them.
         p.variables || COALESCE((SELECT jsonb_agg(jsonb_build_object('key', v.key, 'value', v.value, 'variable_type', v.variable_type) ORDER BY v.id)
                                    FROM ci_job_variables v WHERE v.build_id = b.id), '[]'::jsonb) AS pipeline_variables,
         p.merge_request_id, p.name AS pipeline_name, p.iid AS pipeline_iid
    -- OFFSET 0 keeps the status check out of the scan: the job is read by its key, never through the partial index of
    -- pending jobs, which a planner without statistics on a new pipeline's rows may otherwise walk whole.
    FROM (SELECT * FROM ci_builds WHERE id = (SELECT build_id FROM claimed) OFFSET 0) b
    JOIN ci_builds_metadata m ON m.build_id = b.id
    JOIN ci_pipelines p ON p.id = b.pipeline_id
   WHERE b.status = 'pending'
)`;
}

/** The columns of `job`, as the preview gives them. */
const DRAFT_JOB_SQL = `job AS MATERIALIZED (
  SELECT * FROM json_to_record($1::json) AS draft (
    id bigint, name text, stage text, stage_idx integer, protected boolean, user_id bigint, project_id bigint,
    script json, yaml_variables json, id_tokens json, secrets json, jwt_claims json, environment json, job_timeout integer,
    config_options json,
    pipeline_id bigint, source text, pipeline_created_at timestamptz, sha text, before_sha text, ref text, tag boolean,
    pipeline_variables jsonb,
    merge_request_id bigint, pipeline_name text, pipeline_iid integer)
)`;

/**
 * The share-locked state of the signing key `signerKid`, for a job that mints a token (ID tokens, or the legacy ones
 * with `opt_in_jwt` off): a job that mints nothing never waits on a key rotation or revocation.
 */
function signerStateSql(signerKid: string): string {
  return `(SELECT state FROM ci_jwt_signing_keys
         WHERE kid = ${signerKid} AND (job.id_tokens::jsonb <> '{}'::jsonb OR project.opt_in_jwt = false) FOR SHARE)`;
}

/**
 * The pipeline's latest jobs (a retried one gave way to its copy) whose artifacts the job may download (GitLab's
 * `Ci::BuildDependencies#local`): the `needs` that keep artifacts, or every earlier stage's job; then only the names
 * `dependencies:` lists, when it does. `selectDependencies` decides again from these.
 */
function dependencyCandidatesSql(): string {
  const options = 'job.config_options';
  const hasNeeds = `json_typeof(${options}->'needs') = 'array'`;
  const namesDependencies = `json_typeof(${options}->'dependencies') = 'array'`;
  const dependencyNames = `ARRAY(SELECT json_array_elements_text(${options}->'dependencies'))`;
  // Each branch is gated by a condition on the job alone (a one-time filter), so only the one that applies runs, and
  // it reaches its rows through the one index that can serve it, whatever the statistics: by name where the job names
  // them (`ci_builds_name_pipeline`, on `pipeline_id + 0`, which only these branches write), else by earlier stage
  // (`ci_builds_pipeline_id`). Never the whole pipeline, which may hold thousands of jobs.
  return `(SELECT coalesce(json_agg(json_build_object('id', d.id, 'name', d.name, 'stage_idx', d.stage_idx) ORDER BY d.stage_idx, d.id), '[]')
          FROM (SELECT n.id, n.name, n.stage_idx, n.retried FROM ci_builds n
                 WHERE ${hasNeeds} AND n.pipeline_id + 0 = job.pipeline_id
                   AND n.name = ANY (ARRAY(SELECT need->>'job' FROM json_array_elements(${options}->'needs') need WHERE (need->>'artifacts')::boolean))
                UNION ALL
                SELECT e.id, e.name, e.stage_idx, e.retried FROM ci_builds e
                 WHERE (${hasNeeds}) IS NOT TRUE AND ${namesDependencies} AND e.pipeline_id + 0 = job.pipeline_id
                   AND e.name = ANY (${dependencyNames}) AND e.stage_idx < job.stage_idx
                UNION ALL
                SELECT s.id, s.name, s.stage_idx, s.retried FROM ci_builds s
                 WHERE (${hasNeeds}) IS NOT TRUE AND (${namesDependencies}) IS NOT TRUE AND s.pipeline_id = job.pipeline_id
                   AND s.stage_idx < job.stage_idx) d
         WHERE d.id <> job.id AND NOT d.retried
           AND ((${namesDependencies}) IS NOT TRUE OR d.name = ANY (${dependencyNames})))`;
}

/** Everything after `job`; `today` is the placeholder of the way in, `signerState` an expression. */
function snapshotSql(today: string, signerState: string): string {
  const projectPath = projectFullPathSql('project.namespace_full_path', 'project.path');
  const sessionTags = `CASE WHEN used.name = '${AWS_SESSION_TAGS_CLAIM}' AND jsonb_typeof(used.value->'principal_tags') = 'object'
                             THEN used.value->'principal_tags' ELSE '{}' END`;
  return `, project AS MATERIALIZED (
  SELECT pr.id, pr.name, pr.path, pr.visibility, pr.default_branch, pr.build_timeout,
         n.id AS namespace_id, n.type AS namespace_type, n.traversal_ids, ${namespaceFullPathSql('n')} AS namespace_full_path,
         s.opt_in_jwt, s.id_token_sub_claim_components AS project_components
    FROM job JOIN projects pr ON pr.id = job.project_id JOIN namespaces n ON n.id = pr.namespace_id
    LEFT JOIN project_ci_cd_settings s ON s.project_id = pr.id
), claim_rows AS MATERIALIZED (
  SELECT c.namespace_id, c.project_id, c.key, c.value, c.mutable, c.position FROM ci_id_token_custom_claims c, project
   WHERE c.namespace_id = ANY(project.traversal_ids) OR c.project_id = project.id
), used AS (
  SELECT key AS name, value::jsonb AS value FROM claim_rows
  UNION ALL
  SELECT own.key, own.value FROM job, jsonb_each(CASE WHEN jsonb_typeof(job.jwt_claims::jsonb) = 'object' THEN job.jwt_claims::jsonb ELSE '{}' END) own
)
SELECT row_to_json(job) AS job,
       row_to_json(project) AS project,
       (SELECT row_to_json(root) FROM (SELECT id, path FROM namespaces WHERE id = project.traversal_ids[1]) root) AS root_namespace,
       (SELECT row_to_json(u) FROM (SELECT id, username, email, name, admin, state FROM users WHERE id = job.user_id) u) AS "user",
       (SELECT coalesce(json_agg(v ORDER BY v.id), '[]')
          FROM (SELECT id, project_id, namespace_id, key, value, variable_type, masked, protected, raw, environment_scope FROM ci_variables
                 WHERE project_id = project.id OR (project.namespace_type = 'Group' AND namespace_id = ANY(project.traversal_ids))) v) AS ci_variables,
       (SELECT row_to_json(settings) FROM (
          SELECT project.id AS project_id, project.opt_in_jwt, project.project_components, g.id_token_sub_claim_components AS group_components, g.namespace_id AS group_id
            FROM (SELECT 1) one LEFT JOIN LATERAL (
                   SELECT gs.namespace_id, gs.id_token_sub_claim_components
                     FROM unnest(project.traversal_ids) WITH ORDINALITY AS ancestor (id, depth)
                     JOIN namespace_ci_cd_settings gs ON gs.namespace_id = ancestor.id
                    WHERE gs.id_token_sub_claim_components IS NOT NULL
                    ORDER BY ancestor.depth DESC LIMIT 1) g ON TRUE) settings) AS ci_settings,
       json_build_object(
         'groups', (SELECT json_agg(json_build_object('id', g.id, 'full_path', ${namespaceFullPathSql('g')}, 'traversal_ids', g.traversal_ids))
                      FROM namespaces g WHERE g.id = ANY(project.traversal_ids) AND g.type = 'Group'),
         'projects', json_build_array(json_build_object('id', project.id, 'full_path', ${projectPath}, 'namespace_id', project.namespace_id,
                                                        'type', project.namespace_type, 'traversal_ids', project.traversal_ids)),
         'claims', (SELECT json_agg(claim_rows ORDER BY claim_rows.position) FROM claim_rows),
         'names', (SELECT json_agg(json_build_object('name', cn.name, 'namespace_id', cn.namespace_id, 'full_path', ${namespaceFullPathSql('o')}))
                     FROM ci_id_token_claim_names cn LEFT JOIN namespaces o ON o.id = cn.namespace_id
                    WHERE cn.name IN (SELECT name FROM used UNION ALL SELECT lower(tag) FROM used, jsonb_object_keys(${sessionTags}) tag))
       ) AS claim_tree,
       (SELECT coalesce(json_agg(json_build_object('source_type', source_type, 'source_id', source_id, 'access_level', access_level)), '[]')
          FROM members WHERE ${membershipsSql('job.user_id', 'project.traversal_ids', 'project.id', today)}) AS memberships,
       (SELECT coalesce(json_agg(direct.full_path ORDER BY direct.id), '[]') FROM (
          SELECT d.id, ${namespaceFullPathSql('d')} AS full_path
            FROM namespaces d JOIN members dm ON dm.source_type = 'Namespace' AND dm.source_id = d.id
           WHERE dm.user_id = job.user_id AND d.type = 'Group' AND (dm.expires_at IS NULL OR dm.expires_at > ${today})
           ORDER BY d.id LIMIT ${GROUPS_DIRECT_LIMIT + 1}) direct) AS direct_group_paths,
       (SELECT block_jwt_for_reclaimed_paths FROM application_settings WHERE id = 1) AS block_jwt_for_reclaimed_paths,
       ${reclaimedPathSql(projectPath, 'project.id')} AS project_path_reclaimed,
       ${signerState} AS signer_state,
       (SELECT coalesce(json_agg(json_build_object('name', r.name, 'pushAccessLevel', r.push_access_level, 'mergeAccessLevel', r.merge_access_level)
                                 ORDER BY r.id), '[]')
          FROM protected_refs r
         WHERE job.protected AND r.project_id = project.id AND r.ref_type = CASE WHEN job.tag THEN 'tag' ELSE 'branch' END) AS protection_rules,
       (SELECT row_to_json(env) FROM (
          SELECT (SELECT tier FROM environments WHERE project_id = project.id AND name = job.environment->>'name') AS tier,
                 (SELECT json_agg(json_build_object('access_level', a.access_level, 'user_id', a.user_id,
                                                    'group_inheritance_type', a.group_inheritance_type, 'group_traversal_ids', g.traversal_ids))
                    FROM protected_environments pe
                    LEFT JOIN protected_environment_deploy_access_levels a ON a.protected_environment_id = pe.id
                    LEFT JOIN namespaces g ON g.id = a.group_id
                   WHERE pe.project_id = project.id AND pe.name = job.environment->>'name') AS deploy_rules,
                 (SELECT coalesce(json_agg(json_build_object('source_type', source_type, 'source_id', source_id, 'access_level', access_level)), '[]')
                    FROM members WHERE user_id = job.user_id AND (expires_at IS NULL OR expires_at > ${today})
                     AND (source_type = 'Namespace' OR (source_type = 'Project' AND source_id = project.id))) AS deployer_memberships
           WHERE job.environment IS NOT NULL) env) AS environment,
       (SELECT row_to_json(mr) FROM (
          SELECT m.id, m.iid, m.title, m.description, m.target_project_id, m.target_branch, m.source_branch,
                 sp.id AS source_project_id, sp.path AS source_project_path, sn.id AS source_namespace_id, sn.traversal_ids AS source_traversal_ids,
                 ${namespaceFullPathSql('sn')} AS source_namespace_full_path,
                 ${reclaimedPathSql(projectFullPathSql(namespaceFullPathSql('sn'), 'sp.path'), 'sp.id')} AS source_path_reclaimed,
                 ${projectFullPathSql(namespaceFullPathSql('tn'), 'tp.path')} AS target_full_path,
                 (SELECT coalesce(json_agg(json_build_object('name', r.name, 'pushAccessLevel', r.push_access_level,
                                                             'mergeAccessLevel', r.merge_access_level) ORDER BY r.id), '[]')
                    FROM protected_refs r WHERE r.project_id = m.target_project_id AND r.ref_type = 'branch') AS target_branch_rules,
                 (SELECT coalesce(json_agg(json_build_object('name', r.name, 'pushAccessLevel', r.push_access_level,
                                                             'mergeAccessLevel', r.merge_access_level) ORDER BY r.id), '[]')
                    FROM protected_refs r WHERE r.project_id = m.source_project_id AND r.ref_type = 'branch') AS source_branch_rules
            FROM merge_requests m
            LEFT JOIN projects sp ON sp.id = m.source_project_id LEFT JOIN namespaces sn ON sn.id = sp.namespace_id
            JOIN projects tp ON tp.id = m.target_project_id JOIN namespaces tn ON tn.id = tp.namespace_id
           WHERE m.id = job.merge_request_id) mr) AS merge_request,
       (SELECT coalesce(json_agg(o.ref ORDER BY o.id DESC), '[]') FROM (
          SELECT om.id, ${projectFullPathSql(namespaceFullPathSql('otn'), 'otp.path')} || '!' || om.iid AS ref
            FROM merge_requests om
            JOIN projects otp ON otp.id = om.target_project_id JOIN namespaces otn ON otn.id = otp.namespace_id
           WHERE NOT job.tag AND om.state = 'opened'
             AND (om.source_project_id, om.source_branch) = (
                   SELECT coalesce(sm.source_project_id, project.id), coalesce(sm.source_branch, job.ref)
                     FROM (SELECT 1) one LEFT JOIN merge_requests sm ON sm.id = job.merge_request_id)
           ORDER BY om.id DESC LIMIT ${OPEN_MERGE_REQUESTS_LIMIT}) o) AS open_merge_requests,
       ${dependencyCandidatesSql()} AS dependency_candidates
  FROM job, project`;
}

const claimStatementOf = (runnerType: Runner['runnerType']) =>
  `${PREPARED_MARK}WITH ${claimedSql(runnerType)}${snapshotSql('$4', signerStateSql('$5'))}`;

/**
 * Built once per runner scope: the pickup used to assemble its 9 KB of text at every claim, and the prepared-statement
 * cache then hashed that new string to find its name (about 30 µs of the event loop per pickup, and the garbage).
 */
const CLAIM_STATEMENTS: Readonly<Record<Runner['runnerType'], string>> = {
  project_type: claimStatementOf('project_type'),
  group_type: claimStatementOf('group_type'),
  instance_type: claimStatementOf('instance_type'),
};

/** The statement claiming a job for a runner of `runnerType` and reading its snapshot. */
export function claimStatement(runnerType: Runner['runnerType']): string {
  return CLAIM_STATEMENTS[runnerType];
}

/** The statement reading the snapshot of a job not created yet (the token preview's, which locks and signs nothing). */
export const PREVIEW_STATEMENT = `WITH ${DRAFT_JOB_SQL}${snapshotSql('$2', 'NULL::text')}`;

/** Every statement the pickup reads with, by the name of the file its rendered text is committed in. */
export const SNAPSHOT_STATEMENTS: Readonly<Record<string, string>> = {
  'claim.project.sql': claimStatement('project_type'),
  'claim.group.sql': claimStatement('group_type'),
  'claim.instance.sql': claimStatement('instance_type'),
  'preview.sql': PREVIEW_STATEMENT,
};
