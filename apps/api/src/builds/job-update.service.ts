import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { failureAllowedByExitCode } from '@lanyard/pipelines';
import { DataSource } from 'typeorm';
import { digestToken } from '../auth/secret-token';
import { CLOCK, type Clock } from '../clock/clock';
import { BuildError } from './build-errors';
import { PipelineProgressService } from '../pipelines/pipeline-progress.service';
import { UpdateJobDto } from './dto/update-job.dto';
import { Build } from '../pipelines/build.entity';

/** `PUT /jobs/:id`: the runner reports the job's outcome with the job token it was given. */
@Injectable()
export class JobUpdateService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly progress: PipelineProgressService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  update(buildId: number, dto: UpdateJobDto) {
    return this.db.transaction(async (tx) => {
      const build = await tx.getRepository(Build).findOne({ where: { id: buildId }, lock: { mode: 'pessimistic_write' } });
      if (!build || build.tokenDigest !== digestToken(dto.token) || build.status !== 'running') throw new BuildError('JOB_TOKEN_REFUSED');
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
        await this.progress.jobFinished(tx, finished);
      }
      return { id: build.id, status: dto.state ?? build.status };
    });
  }
}
