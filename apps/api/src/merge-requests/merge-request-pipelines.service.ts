import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccessLevel, decideAccess, mergeRequestPipelineProject } from '@lanyard/access';
import { DataSource, EntityManager, In } from 'typeorm';
import { AccessService } from '../auth/access.service';
import { Caller } from '../auth/caller';
import { Page, PageQuery } from '../common/pagination';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { PipelineCreationService } from '../pipelines/pipeline-creation.service';
import { pipelineNotCreated } from '../pipelines/pipeline-errors';
import { Pipeline } from '../pipelines/pipeline.entity';
import { presentPipeline, presentPipelineBasic } from '../pipelines/pipeline.presenter';
import { Project } from '../entities/project.entity';
import { RepositoryService } from '../repository/repository.service';
import { User } from '../entities/user.entity';
import { MergeRequest } from './merge-request.entity';
import { MergeRequestsService, assertMayRead } from './merge-requests.service';
import { MergeRequestError } from './merge-request-errors';
import { GitStorage } from '../repository/git-storage';

/**
 * GitLab's `MergeRequests::CreatePipelineService` (a detached merge-request pipeline): the source branch's code and
 * `.gitlab-ci.yml`, run in the target project when the caller may run pipelines there, else in the source project.
 */
@Injectable()
export class MergeRequestPipelinesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly access: AccessService,
    private readonly repository: RepositoryService,
    private readonly mergeRequests: MergeRequestsService,
    private readonly creation: PipelineCreationService,
    private readonly storage: GitStorage,
  ) {}

  async create(caller: Caller, target: Project, level: AccessLevel, iid: number) {
    assertMayRead(caller, target, level);
    const { pipeline, project } = await this.db.transaction(async (tx) =>
      this.createFor(tx, caller, target, level, await this.mergeRequests.find(tx, target, iid)),
    );
    const user = await this.db.getRepository(User).findOneBy({ id: caller.user.id });
    return presentPipeline(pipeline, await this.repository.projectWebUrl(this.db.manager, project), user, this.config.externalUrl);
  }

  /** A merge request's pipeline, in the project GitLab's `pipeline_project` picks for the caller (also after a push). */
  async createFor(
    tx: EntityManager,
    caller: Caller,
    target: Project,
    level: AccessLevel,
    mr: MergeRequest,
  ): Promise<{ pipeline: Pipeline; project: Project }> {
    // The source project was deleted: there is no code left to run, and no project a token could name for it.
    if (mr.sourceProjectId === null) throw new MergeRequestError('SOURCE_PROJECT_DELETED');
    const sourceProjectId = mr.sourceProjectId;
    const source = sourceProjectId === target.id ? target : await tx.getRepository(Project).findOneByOrFail({ id: sourceProjectId });
    const sourceLevel = source === target ? level : await this.access.levelOnProject(caller.user, source, tx);
    const admin = caller.user.admin;
    const runsIn = mergeRequestPipelineProject({
      forFork: source.id !== target.id,
      mayCreatePipelineInTarget: admin || level >= AccessLevel.Developer,
      mayUpdateSourceBranchInTarget: (await this.repository.protection(tx, target.id, 'branch')).allowsPush(mr.sourceBranch, {
        level,
        admin,
      }),
      mayCreatePipelineInSource: admin || sourceLevel >= AccessLevel.Developer,
    });
    // GitLab's API answers a merge-request pipeline nobody may run here with `not_allowed!`.
    if (runsIn === null) throw new MergeRequestError('PIPELINE_NOT_ALLOWED');
    if (runsIn === 'source') return { pipeline: await this.inSource(tx, caller, source, sourceLevel, mr), project: source };
    return { pipeline: await this.inTarget(tx, caller, target, mr, sourceProjectId), project: target };
  }

  async list(caller: Caller, target: Project, level: AccessLevel, iid: number, page: PageQuery) {
    assertMayRead(caller, target, level);
    const mr = await this.mergeRequests.find(this.db.manager, target, iid);
    const projectIds = await this.pipelineReadableProjects(caller, target, level, mr);
    if (!projectIds.length) return new Page([], 0, page);
    const [pipelines, total] = await this.db.getRepository(Pipeline).findAndCount({
      where: { mergeRequestId: mr.id, projectId: In(projectIds) },
      order: { id: 'DESC' },
      skip: page.offset,
      take: page.per_page,
    });
    const webUrls = new Map<number, string>();
    for (const projectId of new Set(pipelines.map((pipeline) => pipeline.projectId))) {
      const project = await this.db.getRepository(Project).findOneByOrFail({ id: projectId });
      webUrls.set(projectId, await this.repository.projectWebUrl(this.db.manager, project));
    }
    return new Page(
      pipelines.map((pipeline) => presentPipelineBasic(pipeline, webUrls.get(pipeline.projectId)!)),
      total,
      page,
    );
  }

  /**
   * GitLab's `PipelinesForMergeRequestFinder`: of the two projects a merge request's pipelines run in, those whose
   * pipelines the caller may read (reporter and up, as `GET /projects/:id/pipelines`), so a private fork's pipelines
   * (and how many there are) stay hidden from the parent's members.
   */
  private async pipelineReadableProjects(caller: Caller, target: Project, level: AccessLevel, mr: MergeRequest): Promise<number[]> {
    const readable = (project: Project, projectLevel: AccessLevel) =>
      decideAccess({ level: projectLevel, admin: caller.user.admin, visibility: project.visibility, required: AccessLevel.Reporter }) ===
      'allow';
    const projectIds = readable(target, level) ? [target.id] : [];
    if (mr.sourceProjectId !== null && mr.sourceProjectId !== target.id) {
      const source = await this.db.getRepository(Project).findOneByOrFail({ id: mr.sourceProjectId });
      if (readable(source, await this.access.levelOnProject(caller.user, source, this.db.manager))) projectIds.push(source.id);
    }
    return projectIds;
  }

  /**
   * In the target, for `refs/merge-requests/<iid>/head`, a ref GitLab never protects: the job gets no protected
   * variables or environments of the target, whatever the source branch is called; its unprotected variables it
   * does get (GitLab's answer, hence a member of the target must start it).
   */
  private async inTarget(tx: EntityManager, caller: Caller, target: Project, mr: MergeRequest, sourceProjectId: number): Promise<Pipeline> {
    const head = await this.repository.findRef(tx, sourceProjectId, 'branch', mr.sourceBranch);
    if (!head) throw pipelineNotCreated('Reference not found');
    // The source's commits (a fork's too) come into the target's repository, where the runner fetches them.
    await this.storage.updateMergeRequestHead(target.id, sourceProjectId, mr.sourceBranch, mr.iid);
    const pipeline = await this.creation.insert(tx, caller, target, {
      // GitLab's `MergeRequest#ref_path`: the target's ref holding the source branch's head.
      ref: `refs/merge-requests/${mr.iid}/head`,
      sourceRef: mr.sourceBranch,
      tag: false,
      sha: head.commitSha,
      refProtected: false,
      configProjectId: sourceProjectId,
      source: 'merge_request_event',
      mergeRequestId: mr.id,
      variables: [],
    });
    await this.storage.keepPipelineRef(target.id, pipeline.id, head.commitSha);
    return pipeline;
  }

  /** In the source project, for its branch: the usual rules of running a pipeline for that branch apply. */
  private async inSource(tx: EntityManager, caller: Caller, source: Project, level: AccessLevel, mr: MergeRequest): Promise<Pipeline> {
    const { ref, refProtected } = await this.creation.authorizeRef(tx, caller, source, `refs/heads/${mr.sourceBranch}`, level);
    return this.creation.insert(tx, caller, source, {
      ref: ref.name,
      sourceRef: ref.name,
      tag: false,
      sha: ref.sha,
      refProtected,
      configProjectId: source.id,
      source: 'merge_request_event',
      mergeRequestId: mr.id,
      variables: [],
    });
  }
}
