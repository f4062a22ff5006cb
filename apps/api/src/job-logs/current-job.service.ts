import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { digestToken } from '../auth/secret-token';
import { Project } from '../entities/project.entity';
import { Build } from '../pipelines/build.entity';
import { PipelinesService } from '../pipelines/pipelines.service';
import { JobLogError } from './job-log-errors';

/** `GET /job`: a running job's token tells who it is, as GitLab's job object. */
@Injectable()
export class CurrentJobService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly pipelines: PipelinesService,
  ) {}

  async show(jobToken: string) {
    // A job token is good only while its job runs (GitLab's `Ci::AuthJobFinder`).
    const build = jobToken ? await this.db.getRepository(Build).findOneBy({ tokenDigest: digestToken(jobToken) }) : null;
    if (!build || build.status !== 'running') throw new JobLogError('JOB_TOKEN_UNAUTHORIZED');
    const project = await this.db.getRepository(Project).findOneByOrFail({ id: build.projectId });
    return this.pipelines.job(project, build.id);
  }
}
