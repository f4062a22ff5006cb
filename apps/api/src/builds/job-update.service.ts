import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { digestToken } from '../auth/secret-token';
import { CLOCK, type Clock } from '../clock/clock';
import { ApiError } from '../common/api-error';
import { PipelineProgressService } from '../pipelines/pipeline-progress.service';
import { UpdateJobDto } from './dto/job-request.dto';
import { Build } from './build.entity';

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
      // A job token is only good for its own job, and only while the job runs (GitLab: 403 for anything else).
      if (!build || build.tokenDigest !== digestToken(dto.token) || build.status !== 'running') throw ApiError.forbidden();
      if (dto.state === 'success' || dto.state === 'failed') {
        await tx.getRepository(Build).update(build.id, {
          status: dto.state,
          failureReason: dto.state === 'failed' ? (dto.failure_reason ?? 'unknown_failure') : null,
          finishedAt: this.clock.now(),
        });
        await this.progress.advance(tx, build.pipelineId);
      }
      return { id: build.id, status: dto.state ?? build.status };
    });
  }
}
