import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { decideJobToken, failureAllowedByExitCode, repeatsFinalState } from '@lanyard/pipelines';
import { digestToken } from '../auth/secret-token';
import { CLOCK, type Clock } from '../clock/clock';
import { retriedTransaction } from '../database/lock-conflicts';
import { BuildError } from './build-errors';
import { PipelineProgressService } from '../pipelines/pipeline-progress.service';
import { UpdateJobDto } from './dto/update-job.dto';
import { Build } from '../pipelines/build.entity';
import { JobLogsService } from '../job-logs/job-logs.service';
import { updateCoverage } from './job-coverage';

/** `PUT /jobs/:id`: the runner reports the job's outcome with the job token it was given. */
@Injectable()
export class JobUpdateService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly progress: PipelineProgressService,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly jobLogs: JobLogsService,
  ) {}

  update(buildId: number, dto: UpdateJobDto) {
    return retriedTransaction(this.db, async (tx) => {
      const build = await tx.getRepository(Build).findOne({ where: { id: buildId }, lock: { mode: 'pessimistic_write' } });
      const decision = decideJobToken(build, digestToken(dto.token));
      if (!build || decision === 'refused') throw new BuildError('JOB_TOKEN_REFUSED');
      if (decision === 'not_running') {
        // The same final state again (its answer was lost) is answered again; anything else tells the runner to stop.
        if (repeatsFinalState(build.status, dto.state)) return { id: build.id, status: build.status };
        throw new BuildError('JOB_TOKEN_REFUSED', { jobStatus: build.status });
      }
      if (dto.state === 'success' || dto.state === 'failed') {
        const failed = dto.state === 'failed';
        const finished = Object.assign(build, {
          status: dto.state,
          failureReason: failed ? (dto.failure_reason ?? 'unknown_failure') : null,
          exitCode: dto.exit_code ?? null,
          // GitLab's `drop_with_exit_code!`: a failure with an allowed exit code is a failure that is allowed.
          allowFailure: build.allowFailure || (failed && failureAllowedByExitCode(build.allowFailureExitCodes, dto.exit_code ?? null)),
          finishedAt: this.clock.now(),
        });
        await tx.getRepository(Build).update(build.id, {
          status: finished.status,
          failureReason: finished.failureReason,
          exitCode: finished.exitCode,
          allowFailure: finished.allowFailure,
          finishedAt: finished.finishedAt,
        });
        await this.jobLogs.finish(tx, build, dto.token);
        await updateCoverage(tx, this.jobLogs, build.id);
        await this.progress.jobFinished(tx, finished);
      } else {
        // The runner says the job still runs: the stuck-jobs scheduler leaves it alone (GitLab's `touch`, at most every 15 minutes).
        await tx.query(
          `UPDATE ci_builds SET reported_at = $2 WHERE id = $1 AND (reported_at IS NULL OR reported_at < $2::timestamptz - interval '15 minutes')`,
          [build.id, this.clock.now()],
        );
      }
      return { id: build.id, status: dto.state ?? build.status };
    });
  }
}
