import { Injectable } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import { pipelinePermissionError } from '@lanyard/pipelines';
import { EntityManager } from 'typeorm';
import { AccessService } from '../auth/access.service';
import { Caller } from '../auth/caller';
import { DeployAccessService } from '../environments/deploy-access.service';
import { Project } from '../entities/project.entity';
import { RepositoryService } from '../repository/repository.service';
import { Pipeline } from './pipeline.entity';

/** What the caller may do to a pipeline's jobs: GitLab's `update_build`/`update_pipeline` and what narrows them. */
export interface JobWriteRights {
  readonly level: AccessLevel;
  readonly admin: boolean;
  /** A developer's (or an admin's), and on a protected ref only for who may push to it or merge into it. */
  readonly mayWrite: boolean;
  readonly refProtected: boolean;
}

/**
 * GitLab's job and pipeline write policies (`Ci::BuildPolicy`, `Ci::PipelinePolicy`): `update_build` is a developer's,
 * prevented on a protected ref for who may not push to it or merge into it (`protected_ref`), and, for a job deploying
 * to a protected environment, for who may not deploy there.
 */
@Injectable()
export class JobWriteAccess {
  constructor(
    private readonly access: AccessService,
    private readonly repository: RepositoryService,
    private readonly deployAccess: DeployAccessService,
  ) {}

  async rights(tx: EntityManager, caller: Caller, project: Project, pipeline: Pipeline): Promise<JobWriteRights> {
    const level = await this.access.levelOnProject(caller.user, project, tx);
    const actor = { level, admin: caller.user.admin };
    const protection = await this.repository.protection(tx, project.id, pipeline.tag ? 'tag' : 'branch');
    const refused = pipelinePermissionError({
      mayCreatePipeline: actor.admin || level >= AccessLevel.Developer,
      mayWriteRef: protection.allowsPipeline(pipeline.ref, actor),
      ref: pipeline.ref,
    });
    return { level, admin: actor.admin, mayWrite: refused === null, refProtected: protection.isProtected(pipeline.ref) };
  }

  /** Whether the caller may deploy to the job's environment, when it has a protected one (EE's `update_build` check). */
  async mayDeploy(tx: EntityManager, caller: Caller, project: Project, buildId: number): Promise<boolean> {
    const [row]: { name: string | null; traversal_ids: number[] }[] = await tx.query(
      `SELECT m.environment->>'name' AS name, n.traversal_ids
         FROM ci_builds_metadata m, projects p JOIN namespaces n ON n.id = p.namespace_id
        WHERE m.build_id = $1 AND p.id = $2`,
      [buildId, project.id],
    );
    if (!row?.name) return true;
    const target = { projectId: project.id, namespaceTraversalIds: row.traversal_ids };
    return (await this.deployAccess.refused(tx, target, caller.user, new Map([[buildId, row.name]]))).length === 0;
  }
}
