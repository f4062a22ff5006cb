import { CI_SETTINGS_SQL } from '../ci-settings/ci-settings.service';
import { claimTreeSql } from '../custom-claims/custom-claims.repository';
import { tokenFactsSql } from '../id-tokens/token-facts';
import { namespaceFullPathSql } from '../namespaces/namespace-paths';

/**
 * What the claim reads once per job (a CTE, materialized, so the join with the CI variables does not repeat it per
 * variable row): the namespace's full path, the CI settings, the custom-claim tree (with its names' registry entries),
 * the tokens' facts and, for a protected job, the ref's protection rules. With
 * `locksSigner`, the facts share-lock the signing key's row, but only for a job with `id_tokens`: a job that mints
 * nothing never waits on a key rotation or revocation (a legacy CI_JOB_JWT job locks it when it signs).
 */
export function jobFactsSql(locksSigner: boolean): string {
  const projectPath = `(${namespaceFullPathSql('jn')} || '/' || jpr.path)`;
  const facts = tokenFactsSql({
    userId: 'jb.user_id',
    today: ':factsToday',
    namespaceIds: 'jn.traversal_ids',
    projectId: 'jpr.id',
    sourceProjectPath: projectPath,
    sourceProjectId: 'jpr.id',
    jobProjectPath: projectPath,
    jobProjectId: 'jpr.id',
    signerKid: locksSigner ? ':signerKid' : null,
    signerWanted: `jm.id_tokens::jsonb <> '{}'::jsonb`,
  });
  return `SELECT jb.id AS build_id, ${namespaceFullPathSql('jn')} AS namespace_full_path,
                 (SELECT row_to_json(settings) FROM (${CI_SETTINGS_SQL} WHERE p.id = jpr.id) settings) AS ci_settings,
                 (SELECT row_to_json(claim_tree) FROM (${claimTreeSql('jn.id', 'false', 'jpr.id', 'jsonb_build_array(jm.jwt_claims::jsonb)')}) claim_tree) AS claim_tree,
                 (SELECT row_to_json(token_facts) FROM (${facts}) token_facts) AS token_facts,
                 (SELECT coalesce(json_agg(json_build_object('name', jr.name, 'pushAccessLevel', jr.push_access_level, 'mergeAccessLevel', jr.merge_access_level)
                                           ORDER BY jr.id), '[]')
                    FROM protected_refs jr JOIN ci_pipelines jp ON jp.id = jb.pipeline_id
                   WHERE jb.protected AND jr.project_id = jpr.id AND jr.ref_type = CASE WHEN jp.tag THEN 'tag' ELSE 'branch' END) AS protection_rules
            FROM ci_builds jb
            JOIN ci_builds_metadata jm ON jm.build_id = jb.id
            JOIN projects jpr ON jpr.id = jb.project_id
            JOIN namespaces jn ON jn.id = jpr.namespace_id
           WHERE jb.id = (SELECT build_id FROM claimed)`;
}
