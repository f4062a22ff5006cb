import { GROUPS_DIRECT_LIMIT } from '@lanyard/id-tokens';
import { EntityManager } from 'typeorm';
import { membershipsSql } from '../auth/access.service';
import { utcDate } from '../clock/clock';
import { namespaceFullPathSql } from '../namespaces/namespace-paths';
import { reclaimedPathSql } from '../projects/burned-routes';
import { PREPARED_MARK } from '../database/prepared-statements';

/** The row `tokenFactsSql` selects. */
export interface TokenFactsRow {
  readonly memberships: { source_type: 'Namespace' | 'Project'; source_id: number; access_level: number }[];
  readonly direct_group_paths: string[];
  readonly block_jwt_for_reclaimed_paths: boolean;
  readonly project_path: boolean;
  readonly job_project_path: boolean;
  readonly signer_state: string | null;
}

/** SQL expressions for what `tokenFactsSql` asks about; `signerKid` null when no key is (a preview signs nothing). */
export interface TokenFactsScope {
  readonly userId: string;
  readonly today: string;
  /** The job project's namespace traversal ids, and the job project: where the user's memberships are read. */
  readonly namespaceIds: string;
  readonly projectId: string;
  readonly sourceProjectPath: string;
  readonly sourceProjectId: string;
  readonly jobProjectPath: string;
  readonly jobProjectId: string;
  readonly signerKid: string | null;
  /** When the key's row is locked at all (an SQL condition); always when absent. */
  readonly signerWanted?: string;
}

/**
 * SQL selecting one `TokenFactsRow`: the user's memberships on the job's project and its groups, their direct groups
 * (one more than the claim's limit, enough to know it must be left out), the instance setting, whether the paths the
 * tokens name were given up by another project, and the state of the signing key, share-locked until the
 * transaction ends (`IdTokenService.sign` relies on it). Its aliases (`facts_*`) are its own, so the pickup embeds it
 * in the statement that claims the job (`JobRecordLoader.claim`).
 */
export function tokenFactsSql(scope: TokenFactsScope): string {
  return `SELECT (SELECT coalesce(json_agg(facts_m), '[]') FROM (
                 SELECT source_type, source_id, access_level FROM members
                  WHERE ${membershipsSql(scope.userId, scope.namespaceIds, scope.projectId, scope.today)}) facts_m) AS memberships,
              (SELECT coalesce(json_agg(facts_d.full_path ORDER BY facts_d.id), '[]') FROM (
                 SELECT facts_n.id, ${namespaceFullPathSql('facts_n')} AS full_path
                   FROM namespaces facts_n JOIN members facts_dm ON facts_dm.source_type = 'Namespace' AND facts_dm.source_id = facts_n.id
                  WHERE facts_dm.user_id = ${scope.userId} AND facts_n.type = 'Group' AND (facts_dm.expires_at IS NULL OR facts_dm.expires_at > ${scope.today})
                  ORDER BY facts_n.id LIMIT ${GROUPS_DIRECT_LIMIT + 1}) facts_d) AS direct_group_paths,
              block_jwt_for_reclaimed_paths,
              ${reclaimedPathSql(scope.sourceProjectPath, scope.sourceProjectId)} AS project_path,
              ${reclaimedPathSql(scope.jobProjectPath, scope.jobProjectId)} AS job_project_path,
              ${scope.signerKid === null ? 'NULL::text' : `(SELECT state FROM ci_jwt_signing_keys WHERE kid = ${scope.signerKid} AND ${scope.signerWanted ?? 'TRUE'} FOR SHARE)`} AS signer_state
         FROM application_settings WHERE id = 1`;
}

/** Whom `loadTokenFacts` asks about: the user, the project the code comes from, and the project the job runs in. */
export interface TokenFactsQuestion {
  readonly userId: number | null;
  readonly today: Date;
  readonly sourceProjectId: number;
  readonly sourceProjectPath: string;
  readonly jobProjectId: number;
  readonly jobNamespaceTraversalIds: readonly number[];
  readonly jobProjectPath: string;
}

/**
 * `tokenFactsSql` on its own, for a snapshot the claim could not read them with: a preview's, or a fork merge-request
 * pipeline's (asked of the fork). No key is asked about: the claim locked it, and a preview signs nothing. Without a
 * user, no membership or group is read (a null user id matches no row).
 */
export async function loadTokenFacts(tx: EntityManager, question: TokenFactsQuestion): Promise<TokenFactsRow> {
  const [row]: TokenFactsRow[] = await tx.query(
    PREPARED_MARK +
      tokenFactsSql({
        userId: '$1',
        today: '$2',
        namespaceIds: '$3',
        projectId: '$7',
        sourceProjectPath: '$5',
        sourceProjectId: '$4',
        jobProjectPath: '$6',
        jobProjectId: '$7',
        signerKid: null,
      }),
    [
      question.userId,
      utcDate(question.today),
      question.jobNamespaceTraversalIds,
      question.sourceProjectId,
      question.sourceProjectPath,
      question.jobProjectPath,
      question.jobProjectId,
    ],
  );
  return row;
}
