/* prepared */ WITH claimed AS (
  DELETE FROM ci_pending_builds WHERE build_id = (
    SELECT build_id FROM ci_pending_builds
     WHERE EXISTS (SELECT 1 FROM ci_runners WHERE id = $2 AND token_digest = $3 AND active FOR SHARE)
       AND $1::bigint IS NULL
       AND coalesce(tag_list <@ (SELECT tag_list FROM ci_runners WHERE id = $2)
       AND (cardinality(tag_list) > 0 OR (SELECT run_untagged FROM ci_runners WHERE id = $2)), false)
     ORDER BY build_id LIMIT 1 FOR UPDATE SKIP LOCKED)
  RETURNING build_id
), job AS MATERIALIZED (
  SELECT b.id, b.name, b.stage, b.stage_idx, b.protected, b.user_id, b.project_id,
         m.script, m.variables AS yaml_variables, m.id_tokens, m.secrets, m.jwt_claims, m.environment, m.job_timeout, m.config_options,
         p.id AS pipeline_id, p.source, p.created_at AS pipeline_created_at, p.sha, p.before_sha, p.ref, p.tag,
         -- Variables given when the job was played (GitLab's `ci_job_variables`) rank with the pipeline's, after them.
         p.variables || COALESCE((SELECT jsonb_agg(jsonb_build_object('key', v.key, 'value', v.value, 'variable_type', v.variable_type) ORDER BY v.id)
                                    FROM ci_job_variables v WHERE v.build_id = b.id), '[]'::jsonb) AS pipeline_variables,
         p.merge_request_id, p.name AS pipeline_name, p.iid AS pipeline_iid
    -- OFFSET 0 keeps the status check out of the scan: the job is read by its key, never through the partial index of
    -- pending jobs, which a planner without statistics on a new pipeline's rows may otherwise walk whole.
    FROM (SELECT * FROM ci_builds WHERE id = (SELECT build_id FROM claimed) OFFSET 0) b
    JOIN ci_builds_metadata m ON m.build_id = b.id
    JOIN ci_pipelines p ON p.id = b.pipeline_id
   WHERE b.status = 'pending'
), project AS MATERIALIZED (
  SELECT pr.id, pr.name, pr.path, pr.visibility, pr.default_branch, pr.build_timeout,
         n.id AS namespace_id, n.type AS namespace_type, n.traversal_ids, (SELECT string_agg((SELECT a.path FROM namespaces a WHERE a.id = t.id), '/' ORDER BY t.depth)
             FROM unnest(n.traversal_ids) WITH ORDINALITY AS t (id, depth)) AS namespace_full_path,
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
         'groups', (SELECT json_agg(json_build_object('id', g.id, 'full_path', (SELECT string_agg((SELECT a.path FROM namespaces a WHERE a.id = t.id), '/' ORDER BY t.depth)
             FROM unnest(g.traversal_ids) WITH ORDINALITY AS t (id, depth)), 'traversal_ids', g.traversal_ids))
                      FROM namespaces g WHERE g.id = ANY(project.traversal_ids) AND g.type = 'Group'),
         'projects', json_build_array(json_build_object('id', project.id, 'full_path', (project.namespace_full_path || '/' || project.path), 'namespace_id', project.namespace_id,
                                                        'type', project.namespace_type, 'traversal_ids', project.traversal_ids)),
         'claims', (SELECT json_agg(claim_rows ORDER BY claim_rows.position) FROM claim_rows),
         'names', (SELECT json_agg(json_build_object('name', cn.name, 'namespace_id', cn.namespace_id, 'full_path', (SELECT string_agg((SELECT a.path FROM namespaces a WHERE a.id = t.id), '/' ORDER BY t.depth)
             FROM unnest(o.traversal_ids) WITH ORDINALITY AS t (id, depth))))
                     FROM ci_id_token_claim_names cn LEFT JOIN namespaces o ON o.id = cn.namespace_id
                    WHERE cn.name IN (SELECT name FROM used UNION ALL SELECT lower(tag) FROM used, jsonb_object_keys(CASE WHEN used.name = 'https://aws.amazon.com/tags' AND jsonb_typeof(used.value->'principal_tags') = 'object'
                             THEN used.value->'principal_tags' ELSE '{}' END) tag))
       ) AS claim_tree,
       (SELECT coalesce(json_agg(json_build_object('source_type', source_type, 'source_id', source_id, 'access_level', access_level)), '[]')
          FROM members WHERE user_id = job.user_id
          AND (expires_at IS NULL OR expires_at > $4)
          AND ((source_type = 'Namespace' AND source_id = ANY(project.traversal_ids)) OR (source_type = 'Project' AND source_id = project.id))) AS memberships,
       (SELECT coalesce(json_agg(direct.full_path ORDER BY direct.id), '[]') FROM (
          SELECT d.id, (SELECT string_agg((SELECT a.path FROM namespaces a WHERE a.id = t.id), '/' ORDER BY t.depth)
             FROM unnest(d.traversal_ids) WITH ORDINALITY AS t (id, depth)) AS full_path
            FROM namespaces d JOIN members dm ON dm.source_type = 'Namespace' AND dm.source_id = d.id
           WHERE dm.user_id = job.user_id AND d.type = 'Group' AND (dm.expires_at IS NULL OR dm.expires_at > $4)
           ORDER BY d.id LIMIT 201) direct) AS direct_group_paths,
       (SELECT block_jwt_for_reclaimed_paths FROM application_settings WHERE id = 1) AS block_jwt_for_reclaimed_paths,
       EXISTS (SELECT 1 FROM burned_routes burned WHERE lower(burned.path) = lower((project.namespace_full_path || '/' || project.path)) AND burned.project_id <> project.id
                     AND NOT EXISTS (SELECT 1 FROM reclaimed_path_releases released
                                      WHERE released.burned_route_id = burned.id AND released.project_id = project.id)) AS project_path_reclaimed,
       (SELECT state FROM ci_jwt_signing_keys
         WHERE kid = $5 AND (job.id_tokens::jsonb <> '{}'::jsonb OR project.opt_in_jwt = false) FOR SHARE) AS signer_state,
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
                    FROM members WHERE user_id = job.user_id AND (expires_at IS NULL OR expires_at > $4)
                     AND (source_type = 'Namespace' OR (source_type = 'Project' AND source_id = project.id))) AS deployer_memberships
           WHERE job.environment IS NOT NULL) env) AS environment,
       (SELECT row_to_json(mr) FROM (
          SELECT m.id, m.iid, m.title, m.description, m.target_project_id, m.target_branch, m.source_branch,
                 sp.id AS source_project_id, sp.path AS source_project_path, sn.id AS source_namespace_id, sn.traversal_ids AS source_traversal_ids,
                 (SELECT string_agg((SELECT a.path FROM namespaces a WHERE a.id = t.id), '/' ORDER BY t.depth)
             FROM unnest(sn.traversal_ids) WITH ORDINALITY AS t (id, depth)) AS source_namespace_full_path,
                 EXISTS (SELECT 1 FROM burned_routes burned WHERE lower(burned.path) = lower(((SELECT string_agg((SELECT a.path FROM namespaces a WHERE a.id = t.id), '/' ORDER BY t.depth)
             FROM unnest(sn.traversal_ids) WITH ORDINALITY AS t (id, depth)) || '/' || sp.path)) AND burned.project_id <> sp.id
                     AND NOT EXISTS (SELECT 1 FROM reclaimed_path_releases released
                                      WHERE released.burned_route_id = burned.id AND released.project_id = sp.id)) AS source_path_reclaimed,
                 ((SELECT string_agg((SELECT a.path FROM namespaces a WHERE a.id = t.id), '/' ORDER BY t.depth)
             FROM unnest(tn.traversal_ids) WITH ORDINALITY AS t (id, depth)) || '/' || tp.path) AS target_full_path,
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
          SELECT om.id, ((SELECT string_agg((SELECT a.path FROM namespaces a WHERE a.id = t.id), '/' ORDER BY t.depth)
             FROM unnest(otn.traversal_ids) WITH ORDINALITY AS t (id, depth)) || '/' || otp.path) || '!' || om.iid AS ref
            FROM merge_requests om
            JOIN projects otp ON otp.id = om.target_project_id JOIN namespaces otn ON otn.id = otp.namespace_id
           WHERE NOT job.tag AND om.state = 'opened'
             AND (om.source_project_id, om.source_branch) = (
                   SELECT coalesce(sm.source_project_id, project.id), coalesce(sm.source_branch, job.ref)
                     FROM (SELECT 1) one LEFT JOIN merge_requests sm ON sm.id = job.merge_request_id)
           ORDER BY om.id DESC LIMIT 4) o) AS open_merge_requests,
       (SELECT coalesce(json_agg(json_build_object('id', d.id, 'name', d.name, 'stage_idx', d.stage_idx) ORDER BY d.stage_idx, d.id), '[]')
          FROM (SELECT n.id, n.name, n.stage_idx, n.retried FROM ci_builds n
                 WHERE json_typeof(job.config_options->'needs') = 'array' AND n.pipeline_id + 0 = job.pipeline_id
                   AND n.name = ANY (ARRAY(SELECT need->>'job' FROM json_array_elements(job.config_options->'needs') need WHERE (need->>'artifacts')::boolean))
                UNION ALL
                SELECT e.id, e.name, e.stage_idx, e.retried FROM ci_builds e
                 WHERE (json_typeof(job.config_options->'needs') = 'array') IS NOT TRUE AND json_typeof(job.config_options->'dependencies') = 'array' AND e.pipeline_id + 0 = job.pipeline_id
                   AND e.name = ANY (ARRAY(SELECT json_array_elements_text(job.config_options->'dependencies'))) AND e.stage_idx < job.stage_idx
                UNION ALL
                SELECT s.id, s.name, s.stage_idx, s.retried FROM ci_builds s
                 WHERE (json_typeof(job.config_options->'needs') = 'array') IS NOT TRUE AND (json_typeof(job.config_options->'dependencies') = 'array') IS NOT TRUE AND s.pipeline_id = job.pipeline_id
                   AND s.stage_idx < job.stage_idx) d
         WHERE d.id <> job.id AND NOT d.retried
           AND ((json_typeof(job.config_options->'dependencies') = 'array') IS NOT TRUE OR d.name = ANY (ARRAY(SELECT json_array_elements_text(job.config_options->'dependencies'))))) AS dependency_candidates
  FROM job, project
