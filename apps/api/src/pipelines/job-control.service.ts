import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccessLevel } from '@lanyard/access';
import { isErasable, isRetryable, mayEraseJob } from '@lanyard/pipelines';
import { DataSource, EntityManager } from 'typeorm';
import { Caller } from '../auth/caller';
import { CLOCK, type Clock } from '../clock/clock';
import { retriedTransaction } from '../database/lock-conflicts';
import { Project } from '../entities/project.entity';
import { Build } from './build.entity';
import { cancelBuilds, retryBuild } from './job-cancellation';
import { JobWriteAccess } from './job-write-access';
import { PipelineError } from './pipeline-errors';
import { Pipeline } from './pipeline.entity';
import { PipelineProgressService } from './pipeline-progress.service';

/**
 * What users do to a job and to a pipeline's jobs, as GitLab's `POST …/jobs/:job_id/cancel|retry|erase` and
 * `POST …/pipelines/:pipeline_id/cancel|retry`; each in one transaction. Answers the id of the job to present.
 */
@Injectable()
export class JobControlService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly writeAccess: JobWriteAccess,
    private readonly progress: PipelineProgressService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** GitLab's `build.cancel`: a job that may be canceled is; any other is answered as it is. */
  cancelJob(caller: Caller, project: Project, buildId: number): Promise<number> {
    return retriedTransaction(this.db, async (tx) => {
      const { build, pipeline } = await this.find(tx, project, buildId);
      await this.mayUpdate(tx, caller, project, pipeline, build);
      await cancelBuilds(tx, this.progress, pipeline.id, [build.id], this.clock.now(), 'job');
      return build.id;
    });
  }

  /** GitLab's `Ci::RetryJobService`: a new job in the old one's place, started as progression decides. */
  retryJob(caller: Caller, project: Project, buildId: number): Promise<number> {
    return retriedTransaction(this.db, async (tx) => {
      const { build: found, pipeline } = await this.find(tx, project, buildId);
      await this.mayUpdate(tx, caller, project, pipeline, found);
      await this.progress.lockPipeline(tx, pipeline.id);
      // Read again under the pipeline's lock: two retries of one job make one copy.
      const build = await tx.getRepository(Build).findOneByOrFail({ id: found.id });
      if (!isRetryable(build)) throw new PipelineError('JOB_NOT_RETRYABLE');
      const copy = await retryBuild(tx, build, caller.user.id, this.clock.now());
      await this.progress.advance(tx, pipeline.id);
      return copy;
    });
  }

  /** GitLab's `Ci::BuildEraseService`: the log goes; when and by whom stay. */
  eraseJob(caller: Caller, project: Project, buildId: number): Promise<number> {
    return retriedTransaction(this.db, async (tx) => {
      const { build: found, pipeline } = await this.find(tx, project, buildId);
      const rights = await this.writeAccess.rights(tx, caller, project, pipeline);
      const allowed = mayEraseJob({
        maintainer: rights.admin || rights.level >= AccessLevel.Maintainer,
        developer: rights.admin || rights.level >= AccessLevel.Developer,
        startedJob: found.userId === caller.user.id,
        refProtected: rights.refProtected,
      });
      if (!rights.mayWrite || !allowed) throw new PipelineError('JOB_ERASE_FORBIDDEN');
      // The job's row, as a runner's final update takes it: an erase waits for the job to finish, not the other way.
      const [build] = await tx.getRepository(Build).find({ where: { id: found.id }, lock: { mode: 'pessimistic_write' } });
      const [log]: { stored_size: string }[] = await tx.query('SELECT stored_size FROM ci_job_traces WHERE build_id = $1', [build.id]);
      if (!isErasable({ status: build.status, hasLog: log !== undefined && Number(log.stored_size) > 0 })) {
        throw new PipelineError('JOB_NOT_ERASABLE');
      }
      // Its chunks go with it (ON DELETE CASCADE).
      await tx.query('DELETE FROM ci_job_traces WHERE build_id = $1', [build.id]);
      await tx.getRepository(Build).update(build.id, { erasedAt: this.clock.now(), erasedById: caller.user.id });
      return build.id;
    });
  }

  /** GitLab's `Ci::CancelPipelineService`: every job still to run or running is canceled; a manual one stays. */
  cancelPipeline(caller: Caller, project: Project, pipelineId: number): Promise<void> {
    return retriedTransaction(this.db, async (tx) => {
      const pipeline = await this.findPipeline(tx, project, pipelineId);
      if (!(await this.writeAccess.rights(tx, caller, project, pipeline)).mayWrite) throw new PipelineError('PIPELINE_UPDATE_FORBIDDEN');
      const ids: { id: string }[] = await tx.query('SELECT id FROM ci_builds WHERE pipeline_id = $1 AND NOT retried ORDER BY id', [
        pipeline.id,
      ]);
      await cancelBuilds(
        tx,
        this.progress,
        pipeline.id,
        ids.map((row) => Number(row.id)),
        this.clock.now(),
        'pipeline',
      );
    });
  }

  /**
   * GitLab's `Ci::RetryPipelineService`: each latest failed or canceled job the caller may retry gets a copy, every
   * skipped job waits again, and progression decides them anew.
   */
  retryPipeline(caller: Caller, project: Project, pipelineId: number): Promise<void> {
    return retriedTransaction(this.db, async (tx) => {
      const found = await this.findPipeline(tx, project, pipelineId);
      if (!(await this.writeAccess.rights(tx, caller, project, found)).mayWrite) throw new PipelineError('PIPELINE_UPDATE_FORBIDDEN');
      const pipeline = await this.progress.lockPipeline(tx, found.id);
      const builds = await tx.getRepository(Build).find({ where: { pipelineId: pipeline.id, retried: false }, order: { id: 'ASC' } });
      const now = this.clock.now();
      for (const build of builds.filter((each) => each.status === 'failed' || each.status === 'canceled')) {
        if (isRetryable(build) && (await this.writeAccess.mayDeploy(tx, caller, project, build.id))) {
          await retryBuild(tx, build, caller.user.id, now);
        }
      }
      await tx.query(
        `UPDATE ci_builds SET status = 'created', finished_at = NULL WHERE pipeline_id = $1 AND NOT retried AND status = 'skipped'`,
        [pipeline.id],
      );
      await this.progress.advance(tx, pipeline.id);
    });
  }

  /** GitLab's `update_build` (`cancel_build`, `retry_job`): the ref's rules, and the job's protected environment. */
  private async mayUpdate(tx: EntityManager, caller: Caller, project: Project, pipeline: Pipeline, build: Build): Promise<void> {
    const rights = await this.writeAccess.rights(tx, caller, project, pipeline);
    if (!rights.mayWrite || !(await this.writeAccess.mayDeploy(tx, caller, project, build.id))) {
      throw new PipelineError('JOB_UPDATE_FORBIDDEN');
    }
  }

  private async find(tx: EntityManager, project: Project, buildId: number): Promise<{ build: Build; pipeline: Pipeline }> {
    const build = isStorableId(buildId) ? await tx.getRepository(Build).findOneBy({ id: buildId, projectId: project.id }) : null;
    if (!build) throw new PipelineError('JOB_NOT_FOUND');
    return { build, pipeline: await tx.getRepository(Pipeline).findOneByOrFail({ id: build.pipelineId }) };
  }

  private async findPipeline(tx: EntityManager, project: Project, pipelineId: number): Promise<Pipeline> {
    const pipeline = isStorableId(pipelineId)
      ? await tx.getRepository(Pipeline).findOneBy({ id: pipelineId, projectId: project.id })
      : null;
    if (!pipeline) throw new PipelineError('PIPELINE_NOT_FOUND');
    return pipeline;
  }
}

/** Ids beyond bigint cannot exist; answering early keeps them away from SQL, which would call them malformed. */
function isStorableId(id: number): boolean {
  return Number.isSafeInteger(id) && id > 0;
}
