import { Inject, Injectable } from '@nestjs/common';
import { GROUPS_DIRECT_LIMIT, JobIdentity, serverNamesFromUrl } from '@lanyard/id-tokens';
import { EntityManager } from 'typeorm';
import { AccessService } from '../auth/access.service';
import type { JobRecord } from '../builds/job-record';
import { CLOCK, type Clock, utcDate } from '../clock/clock';
import type { AppConfig } from '../config/app-config';
import { namespaceFullPathSql } from '../namespaces/namespace-paths';
import { CI_CONFIG_PATH } from '../pipelines/pipeline-creation.service';

/** The identity a job's tokens assert, read from the database at mint time (so settings changes apply). */
@Injectable()
export class JobIdentityLoader {
  constructor(private readonly access: AccessService, @Inject(CLOCK) private readonly clock: Clock) {}

  async load(tx: EntityManager, record: JobRecord, config: AppConfig): Promise<JobIdentity> {
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
    return {
      sourceProject,
      jobProject,
      projectVisibility: project.visibility,
      user: user
        ? {
            id: user.id,
            username: user.username,
            email: user.email,
            accessLevel: await this.access.levelOnProject(user, source.project, tx, source.namespace),
            directGroupPaths: await this.directGroupPaths(tx, user.id),
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
  }

  /** One more than the limit is enough to know the claim must be left out; paths built in the same query. */
  private async directGroupPaths(tx: EntityManager, userId: number): Promise<string[]> {
    const rows: { full_path: string }[] = await tx.query(
      `SELECT ${namespaceFullPathSql('n')} AS full_path
         FROM namespaces n JOIN members m ON m.source_type = 'Namespace' AND m.source_id = n.id
        WHERE m.user_id = $1 AND n.type = 'Group' AND (m.expires_at IS NULL OR m.expires_at > $2)
        ORDER BY n.id LIMIT $3`,
      [userId, utcDate(this.clock.now()), GROUPS_DIRECT_LIMIT + 1],
    );
    return rows.map((row) => row.full_path);
  }
}
