import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { mayOverridePipelineVariables } from '@lanyard/access';
import { isRetryable } from '@lanyard/pipelines';
import { DataSource, EntityManager } from 'typeorm';
import { Caller } from '../auth/caller';
import { CLOCK, type Clock } from '../clock/clock';
import { retriedTransaction } from '../database/lock-conflicts';
import { Project } from '../entities/project.entity';
import { Build } from './build.entity';
import { PipelineVariableDto } from './dto/create-pipeline.dto';
import { PipelineError } from './pipeline-errors';
import { Pipeline } from './pipeline.entity';
import { PipelineProgressService } from './pipeline-progress.service';
import { cloneBuild, resetSkippedAfter } from './job-retries';
import { JobWriteAccess } from './job-write-access';

/** Played by starting it: a manual job, and a delayed one ("run now"). */
const PLAYABLE = ['manual', 'scheduled'];
/** GitLab's `action?`: jobs someone may start by hand. */
const ACTIONS = ['manual', 'delayed'];

/**
 * `POST /projects/:id/jobs/:job_id/play` (GitLab's `Ci::PlayBuildService`): the player becomes the job's user, so
 * its `user_*` claims and the deploy-access check at pickup name who pressed play, and the job starts.
 */
@Injectable()
export class JobPlayService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly writeAccess: JobWriteAccess,
    private readonly progress: PipelineProgressService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Plays the job; answers the id of the job started (a new one when a finished job is played again). */
  play(caller: Caller, project: Project, buildId: number, variables: readonly PipelineVariableDto[]): Promise<number> {
    return retriedTransaction(this.db, async (tx) => {
      const found =
        Number.isSafeInteger(buildId) && buildId > 0
          ? await tx.getRepository(Build).findOneBy({ id: buildId, projectId: project.id })
          : null;
      if (!found) throw new PipelineError('JOB_NOT_FOUND');
      const pipeline = await this.progress.lockPipeline(tx, found.pipelineId);
      // Read again under the pipeline's lock: two plays of one job start it once.
      const build = await tx.getRepository(Build).findOneByOrFail({ id: buildId });
      const { level } = await this.authorize(tx, caller, project, pipeline, build);
      if (variables.length && !mayOverridePipelineVariables(project.pipelineVariablesMinimumOverrideRole, level)) {
        throw new PipelineError('JOB_PLAY_FORBIDDEN');
      }
      const now = this.clock.now();
      let played = build.id;
      if (!PLAYABLE.includes(build.status)) {
        // GitLab's `playable?` also takes a finished manual or delayed job: playing it retries it (`Ci::RetryJobService`).
        if (!ACTIONS.includes(build.when) || !isRetryable(build)) throw new PipelineError('JOB_NOT_PLAYABLE');
        played = await cloneBuild(tx, build.id, now);
        await resetSkippedAfter(tx, build);
      }
      await tx.getRepository(Build).update(played, { userId: caller.user.id });
      if (played === build.id || variables.length) await this.replaceVariables(tx, played, variables);
      await this.progress.start(tx, project.id, [played], now);
      await this.progress.advance(tx, pipeline.id);
      return played;
    });
  }

  /** The variables the job runs with (GitLab's `job_variables_attributes`): those given replace any set before. */
  private async replaceVariables(tx: EntityManager, buildId: number, variables: readonly PipelineVariableDto[]): Promise<void> {
    await tx.query('DELETE FROM ci_job_variables WHERE build_id = $1', [buildId]);
    for (const variable of variables) {
      await tx.query(
        `INSERT INTO ci_job_variables (build_id, key, value, variable_type) VALUES ($1, $2, $3, $4)
         ON CONFLICT (build_id, key) DO UPDATE SET value = excluded.value, variable_type = excluded.variable_type`,
        [buildId, variable.key, variable.value, variable.variable_type ?? 'env_var'],
      );
    }
  }

  /**
   * GitLab's `play_job` (`Ci::BuildPolicy`): `update_build`, a developer's; on a protected ref only for who may push
   * to it or merge into it; and to a protected environment only for who may deploy to it.
   */
  private async authorize(tx: EntityManager, caller: Caller, project: Project, pipeline: Pipeline, build: Build) {
    const rights = await this.writeAccess.rights(tx, caller, project, pipeline);
    if (!rights.mayWrite || !(await this.writeAccess.mayDeploy(tx, caller, project, build.id))) {
      throw new PipelineError('JOB_PLAY_FORBIDDEN');
    }
    return rights;
  }
}
