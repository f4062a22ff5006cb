import { Inject, Injectable } from '@nestjs/common';
import { AccessLevel, resolveAccessLevel } from '@lanyard/access';
import { GROUPS_DIRECT_LIMIT, JobIdentity, ReclaimedPathFacts, serverNamesFromUrl } from '@lanyard/id-tokens';
import { EntityManager } from 'typeorm';
import { membershipsSql } from '../auth/access.service';
import type { JobRecord } from '../builds/job-record';
import { CLOCK, type Clock, utcDate } from '../clock/clock';
import type { AppConfig } from '../config/app-config';
import type { Namespace } from '../namespaces/namespace.entity';
import { namespaceFullPathSql } from '../namespaces/namespace-paths';
import type { Project } from '../projects/project.entity';
import { reclaimedPathSql } from '../projects/burned-routes';
import { CI_CONFIG_PATH } from '../pipelines/pipeline-creation.service';

/** What a job's tokens are decided from beyond its snapshot: its identity, and whether its paths were reclaimed. */
export interface JobTokenFacts {
  readonly identity: JobIdentity;
  readonly reclaimedPaths: ReclaimedPathFacts;
  /** The state of the signing key asked about, now share-locked until the transaction ends; null if no such row. */
  readonly signerState: string | null;
}

interface FactsRow {
  memberships: { source_type: 'Namespace' | 'Project'; source_id: number; access_level: number }[];
  direct_group_paths: string[];
  block_jwt_for_reclaimed_paths: boolean;
  project_path: boolean;
  job_project_path: boolean;
  signer_state: string | null;
}

/**
 * The identity a job's tokens assert, read from the database at mint time (so settings and memberships changes
 * apply): the user's memberships on the source project, their direct groups, the instance setting and whether the
 * paths the tokens name were given up by another project, in one query (the pickup's hot path). The same query
 * share-locks the row of the key the tokens are about to be signed with (`IdTokenService.sign` relies on it).
 */
@Injectable()
export class JobIdentityLoader {
  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  async load(tx: EntityManager, record: JobRecord, config: AppConfig, signerKid: string | null): Promise<JobTokenFacts> {
    const { build, pipeline, project, namespace, user, runner, environment, mergeRequest } = record;
    const jobProject = {
      id: project.id,
      fullPath: `${record.namespaceFullPath}/${project.path}`,
      namespaceId: namespace.id,
      namespaceFullPath: record.namespaceFullPath,
    };
    // GitLab's `source_project`: a merge request's source project names the code (gitlab#548165).
    const source = mergeRequest ? { project: mergeRequest.sourceProject, namespace: mergeRequest.sourceNamespace } : { project, namespace };
    const sourceProject = mergeRequest
      ? {
          id: source.project.id,
          fullPath: `${mergeRequest.sourceNamespaceFullPath}/${source.project.path}`,
          namespaceId: source.namespace.id,
          namespaceFullPath: mergeRequest.sourceNamespaceFullPath,
        }
      : jobProject;
    const facts = await this.facts(tx, user?.id ?? null, source, sourceProject, jobProject, signerKid);
    const identity: JobIdentity = {
      sourceProject,
      jobProject,
      projectVisibility: project.visibility,
      user: user
        ? {
            id: user.id,
            username: user.username,
            email: user.email,
            accessLevel: resolveAccessLevel(
              facts.memberships.map((row) => ({ sourceType: row.source_type, sourceId: Number(row.source_id), accessLevel: row.access_level as AccessLevel })),
              { projectId: source.project.id, namespaceTraversalIds: source.namespace.traversalIds },
            ),
            directGroupPaths: facts.direct_group_paths,
          }
        : null,
      pipeline: {
        id: pipeline.id,
        source: pipeline.source,
        ref: record.sourceRef,
        refType: pipeline.tag ? 'tag' : 'branch',
        refProtected: build.protected,
        sha: pipeline.sha,
        ciConfig: { path: CI_CONFIG_PATH, sha: pipeline.sha },
      },
      job: {
        id: build.id,
        environment: environment
          ? {
              name: environment.record.name,
              protected: environment.protected,
              tier: environment.record.tier,
              deploymentTier: environment.definition.deploymentTier ?? null,
              action: environment.definition.action,
            }
          : null,
      },
      runner: runner && { id: runner.id, gitlabHosted: runner.gitlabHosted },
      server: serverNamesFromUrl(config.externalUrl),
    };
    return {
      identity,
      reclaimedPaths: {
        blockJwtForReclaimedPaths: facts.block_jwt_for_reclaimed_paths,
        reclaimed: { project_path: facts.project_path, job_project_path: facts.job_project_path },
      },
      signerState: facts.signer_state,
    };
  }

  /** Without a user, no membership or group is read (a null user id matches no row). */
  private async facts(
    tx: EntityManager,
    userId: number | null,
    source: { readonly project: Project; readonly namespace: Namespace },
    sourceProject: JobIdentity['sourceProject'],
    jobProject: JobIdentity['jobProject'],
    signerKid: string | null,
  ): Promise<FactsRow> {
    // No key is asked about in a preview: it signs nothing, and runs read-only.
    // One more direct group than the limit is enough to know the claim must be left out.
    const [row]: FactsRow[] = await tx.query(
      `SELECT (SELECT coalesce(json_agg(m), '[]') FROM (
                 SELECT source_type, source_id, access_level FROM members WHERE ${membershipsSql('$1', '$3', '$4', '$2')}) m) AS memberships,
              (SELECT coalesce(json_agg(d.full_path ORDER BY d.id), '[]') FROM (
                 SELECT n.id, ${namespaceFullPathSql('n')} AS full_path
                   FROM namespaces n JOIN members m ON m.source_type = 'Namespace' AND m.source_id = n.id
                  WHERE m.user_id = $1 AND n.type = 'Group' AND (m.expires_at IS NULL OR m.expires_at > $2)
                  ORDER BY n.id LIMIT $5) d) AS direct_group_paths,
              block_jwt_for_reclaimed_paths,
              ${reclaimedPathSql('$6', '$7')} AS project_path,
              ${reclaimedPathSql('$8', '$9')} AS job_project_path,
              ${signerKid === null ? 'NULL::text' : '(SELECT state FROM ci_jwt_signing_keys WHERE kid = $10 FOR SHARE)'} AS signer_state
         FROM application_settings WHERE id = 1`,
      [
        userId,
        utcDate(this.clock.now()),
        source.namespace.traversalIds,
        source.project.id,
        GROUPS_DIRECT_LIMIT + 1,
        sourceProject.fullPath,
        sourceProject.id,
        jobProject.fullPath,
        jobProject.id,
        ...(signerKid === null ? [] : [signerKid]),
      ],
    );
    return row;
  }
}
