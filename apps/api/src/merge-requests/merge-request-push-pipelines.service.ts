import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { commitMessageSkipsCi } from '@lanyard/pipelines';
import { DataSource } from 'typeorm';
import { AccessService } from '../auth/access.service';
import { Project } from '../entities/project.entity';
import { PipelineError } from '../pipelines/pipeline-errors';
import { PushEvents, PushListener, PushedRef } from '../repository/push-events';
import type { RepositoryActor } from '../repository/repository-access.decorator';
import { RepositoryService } from '../repository/repository.service';
import { MergeRequest } from './merge-request.entity';
import { GitStorage } from '../repository/git-storage';
import { MergeRequestError } from './merge-request-errors';
import { MergeRequestPipelinesService } from './merge-request-pipelines.service';
import { assertMayRead } from './merge-requests.service';

/**
 * GitLab's `MergeRequests::RefreshService` after a push to a branch: each open merge request from it gets a detached
 * merge-request pipeline, run as the pusher in the project GitLab's `pipeline_project` picks (the target when they may
 * run pipelines and update the branch there, else the fork). Whether it has jobs is the configuration's `rules` for
 * `merge_request_event`: one without (every job `only: [branches, tags]` by default) creates none, and nothing is
 * stored, as in GitLab; the push's branch pipeline is the push pipelines' business.
 */
@Injectable()
export class MergeRequestPushPipelinesService implements OnModuleInit, PushListener {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly pushes: PushEvents,
    private readonly access: AccessService,
    private readonly repository: RepositoryService,
    private readonly pipelines: MergeRequestPipelinesService,
    private readonly storage: GitStorage,
  ) {}

  onModuleInit(): void {
    this.pushes.subscribe(this);
  }

  async pushed(actor: RepositoryActor, project: Project, push: PushedRef): Promise<void> {
    if (push.refType !== 'branch') return;
    const open = await this.db.getRepository(MergeRequest).find({
      where: { sourceProjectId: project.id, sourceBranch: push.ref, state: 'opened' },
      order: { id: 'ASC' },
    });
    // `refs/merge-requests/<iid>/head` follows every push to the source branch, `[skip ci]` or not.
    for (const mr of open) await this.storage.updateMergeRequestHead(mr.targetProjectId, project.id, mr.sourceBranch, mr.iid);
    const commit = await this.repository.findCommit(this.db.manager, project.id, push.sha);
    if (commitMessageSkipsCi(commit?.message ?? null)) return;
    const caller = { user: actor.user };
    for (const mr of open) {
      try {
        await this.db.transaction(async (tx) => {
          const target =
            mr.targetProjectId === project.id ? project : await tx.getRepository(Project).findOneByOrFail({ id: mr.targetProjectId });
          const level = await this.access.levelOnProject(caller.user, target, tx);
          assertMayRead(caller, target, level);
          await this.pipelines.createFor(tx, caller, target, level, mr);
        });
      } catch (error) {
        // Filtered out by its rules, or not the pusher's to run: no pipeline for this merge request, as in GitLab.
        if (!(error instanceof PipelineError || error instanceof MergeRequestError)) throw error;
      }
    }
  }
}
