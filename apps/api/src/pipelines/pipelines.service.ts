import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccessLevel } from '@lanyard/access';
import { DataSource, In } from 'typeorm';
import { Caller } from '../auth/caller';
import { Build } from './build.entity';
import { presentBuild } from './build.presenter';
import { Page } from '../common/pagination';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { Project } from '../entities/project.entity';
import { RepositoryService } from '../repository/repository.service';
import { Runner } from '../runners/runner.entity';
import { User } from '../entities/user.entity';
import { CreatePipelineDto } from './dto/create-pipeline.dto';
import { ListPipelinesQuery } from './dto/list-pipelines.query';
import { JobScopeQuery } from './dto/job-scope.query';
import { PipelineJobsQuery } from './dto/pipeline-jobs.query';
import { PipelineCreationService } from './pipeline-creation.service';
import { Pipeline } from './pipeline.entity';
import { presentPipeline, presentPipelineBasic } from './pipeline.presenter';
import { filterPipelines } from './pipeline-list';
import { PipelineError } from './pipeline-errors';

/** Reading pipelines and jobs. */
@Injectable()
export class PipelinesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: RepositoryService,
    private readonly creation: PipelineCreationService,
  ) {}

  async create(caller: Caller, project: Project, dto: CreatePipelineDto) {
    const pipeline = await this.creation.create(caller, project, dto, 'api');
    return this.show(project, pipeline.id);
  }

  async show(project: Project, pipelineId: number) {
    return this.present(project, await this.findPipeline(project, pipelineId));
  }

  /**
   * GitLab's `Project#latest_pipeline`: the newest pipeline for `ref` (the default branch when none is given) at the
   * ref's current commit; a pipeline of an older commit is not the latest.
   */
  async latest(project: Project, refName: string | undefined) {
    const name = refName || project.defaultBranch;
    const ref = name ? await this.repository.resolveRef(this.db.manager, project.id, name) : null;
    const pipeline = ref
      ? await this.db.getRepository(Pipeline).findOne({ where: { projectId: project.id, ref: name!, sha: ref.sha }, order: { id: 'DESC' } })
      : null;
    if (!pipeline) throw new PipelineError('LATEST_PIPELINE_NOT_FOUND');
    return this.present(project, pipeline);
  }

  /** The variables the pipeline was created with, as GitLab's API spec shows `Ci::PipelineVariable`: type, key, value. */
  async variables(caller: Caller, project: Project, level: AccessLevel, pipelineId: number) {
    const pipeline = await this.findPipeline(project, pipelineId);
    if (!(await this.mayReadVariables(caller, project, level, pipeline))) throw new PipelineError('PIPELINE_VARIABLES_FORBIDDEN');
    return pipeline.variables.map((v) => ({ variable_type: v.variable_type, key: v.key, value: v.value }));
  }

  /**
   * GitLab's `read_pipeline_variable` (`Ci::PipelinePolicy`): `admin_pipeline` (maintainers), or `update_pipeline` for
   * the user who ran it: a developer, and on a protected ref only one who may push to it or merge into it.
   */
  private async mayReadVariables(caller: Caller, project: Project, level: AccessLevel, pipeline: Pipeline): Promise<boolean> {
    const actor = { level, admin: caller.user.admin };
    if (actor.admin || level >= AccessLevel.Maintainer) return true;
    if (pipeline.userId !== caller.user.id || level < AccessLevel.Developer) return false;
    const protection = await this.repository.protection(this.db.manager, project.id, pipeline.tag ? 'tag' : 'branch');
    return protection.allowsPipeline(pipeline.ref, actor);
  }

  private async present(project: Project, pipeline: Pipeline) {
    const user = pipeline.userId === null ? null : await this.db.getRepository(User).findOneBy({ id: pipeline.userId });
    return presentPipeline(pipeline, await this.repository.projectWebUrl(this.db.manager, project), user, this.config.externalUrl);
  }

  async list(project: Project, page: ListPipelinesQuery) {
    const list = this.db.getRepository(Pipeline).createQueryBuilder('p').where('p.project_id = :projectId', { projectId: project.id });
    const [pipelines, total] = await filterPipelines(list, page).offset(page.offset).limit(page.per_page).getManyAndCount();
    const webUrl = await this.repository.projectWebUrl(this.db.manager, project);
    return new Page(
      pipelines.map((pipeline) => presentPipelineBasic(pipeline, webUrl)),
      total,
      page,
    );
  }

  async jobs(project: Project, pipelineId: number, page: PipelineJobsQuery) {
    const pipeline = await this.findPipeline(project, pipelineId);
    const [builds, total] = await this.db.getRepository(Build).findAndCount({
      where: { pipelineId: pipeline.id, ...(page.include_retried ? {} : { retried: false }), ...statusIn(page) },
      order: { id: 'ASC' },
      skip: page.offset,
      take: page.per_page,
    });
    return new Page(await this.presentBuilds(project, builds, new Map([[pipeline.id, pipeline]])), total, page);
  }

  async projectJobs(project: Project, page: JobScopeQuery) {
    const [builds, total] = await this.db.getRepository(Build).findAndCount({
      where: { projectId: project.id, ...statusIn(page) },
      order: { id: 'DESC' },
      skip: page.offset,
      take: page.per_page,
    });
    const pipelineIds = [...new Set(builds.map((build) => build.pipelineId))];
    const pipelines = pipelineIds.length ? await this.db.getRepository(Pipeline).findBy({ id: In(pipelineIds) }) : [];
    return new Page(await this.presentBuilds(project, builds, new Map(pipelines.map((p) => [p.id, p]))), total, page);
  }

  async job(project: Project, buildId: number) {
    const build = isStorableId(buildId) ? await this.db.getRepository(Build).findOneBy({ id: buildId, projectId: project.id }) : null;
    if (!build) throw new PipelineError('JOB_NOT_FOUND');
    const pipeline = await this.db.getRepository(Pipeline).findOneByOrFail({ id: build.pipelineId });
    return (await this.presentBuilds(project, [build], new Map([[pipeline.id, pipeline]])))[0];
  }

  private async findPipeline(project: Project, pipelineId: number): Promise<Pipeline> {
    const pipeline = isStorableId(pipelineId)
      ? await this.db.getRepository(Pipeline).findOneBy({ id: pipelineId, projectId: project.id })
      : null;
    if (!pipeline) throw new PipelineError('PIPELINE_NOT_FOUND');
    return pipeline;
  }

  private async presentBuilds(project: Project, builds: Build[], pipelines: Map<number, Pipeline>) {
    const userIds = [...new Set(builds.map((b) => b.userId).filter((id): id is number => id !== null))];
    const runnerIds = [...new Set(builds.map((b) => b.runnerId).filter((id): id is number => id !== null))];
    const users = new Map((userIds.length ? await this.db.getRepository(User).findBy({ id: In(userIds) }) : []).map((u) => [u.id, u]));
    const runners = new Map(
      (runnerIds.length ? await this.db.getRepository(Runner).findBy({ id: In(runnerIds) }) : []).map((r) => [r.id, r]),
    );
    const projectWebUrl = await this.repository.projectWebUrl(this.db.manager, project);
    const tags = await this.tagLists(builds.map((build) => build.id));
    return builds.map((build) =>
      presentBuild(build, {
        pipeline: pipelines.get(build.pipelineId)!,
        user: build.userId === null ? null : (users.get(build.userId) ?? null),
        runner: build.runnerId === null ? null : (runners.get(build.runnerId) ?? null),
        projectWebUrl,
        externalUrl: this.config.externalUrl,
        tagList: tags.get(build.id) ?? [],
      }),
    );
  }

  /** Each job's tags, kept in its `config_options` (none for a job created before they were kept). */
  private async tagLists(buildIds: readonly number[]): Promise<Map<number, string[]>> {
    const rows: { build_id: number; tags: string[] }[] = await this.db.query(
      `SELECT build_id, ARRAY(SELECT json_array_elements_text(config_options->'tags')) AS tags FROM ci_builds_metadata WHERE build_id = ANY($1)`,
      [buildIds],
    );
    return new Map(rows.map((row) => [Number(row.build_id), row.tags]));
  }
}

/** Ids beyond bigint cannot exist; answering early keeps them away from SQL, which would call them malformed. */
function isStorableId(id: number): boolean {
  return Number.isSafeInteger(id) && id > 0;
}

/** The jobs in the statuses a list's `scope` asks for; every status when it asks for none. */
function statusIn(query: JobScopeQuery) {
  return query.scope?.length ? { status: In(query.scope as string[]) } : {};
}
