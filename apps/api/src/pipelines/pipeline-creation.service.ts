import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DeploymentTier, JobSelection } from '@lanyard/ci-config';
import { AccessLevel, mayOverridePipelineVariables } from '@lanyard/access';
import { commitMessageSkipsCi, pipelinePermissionError } from '@lanyard/pipelines';
import { DataSource, EntityManager } from 'typeorm';
import { AccessService } from '../auth/access.service';
import { Caller } from '../auth/caller';
import { CLOCK, type Clock } from '../clock/clock';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { EnvironmentsService } from '../environments/environments.service';
import { Project } from '../entities/project.entity';
import type { PushedRef } from '../repository/push-events';
import { RepositoryService, ResolvedRef } from '../repository/repository.service';
import { CreatePipelineDto } from './dto/create-pipeline.dto';
import { EnvironmentNames } from './environment-names';
import { type PlannedJob, insertJobs, planJob } from './job-rows';
import { pipelineNotCreated } from './pipeline-errors';
import { nextPipelineIid } from './pipeline-iids';
import { Pipeline, PipelineSource } from './pipeline.entity';
import type { PipelinePlan } from './pipeline-plan';
import { CI_CONFIG_PATH, PipelinePlanner } from './pipeline-planner';
import { PipelineProgressService } from './pipeline-progress.service';
import { RunnerOptionsSeed } from './runner-options-seed';

export type { PipelinePlan } from './pipeline-plan';

export { CI_CONFIG_PATH };

/** Commit → pipeline: reads and checks `.gitlab-ci.yml` at the ref, then stores the pipeline and its jobs at once. */
@Injectable()
export class PipelineCreationService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: RepositoryService,
    private readonly environments: EnvironmentsService,
    private readonly access: AccessService,
    private readonly progress: PipelineProgressService,
    private readonly planner: PipelinePlanner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  create(caller: Caller, project: Project, dto: CreatePipelineDto, source: PipelineSource): Promise<Pipeline> {
    return this.db.transaction(async (tx) => {
      const level = await this.access.levelOnProject(caller.user, project, tx);
      // GitLab checks this first (`Chain::Build`); it guards every way a user passes variables into a pipeline.
      if (dto.variables?.length && !mayOverridePipelineVariables(project.pipelineVariablesMinimumOverrideRole, level)) {
        throw pipelineNotCreated('Insufficient permissions to set pipeline variables');
      }
      const { ref, refProtected } = await this.authorizeRef(tx, caller, project, dto.ref, level);
      return this.insert(tx, caller, project, {
        ref: ref.name,
        sourceRef: ref.name,
        tag: ref.refType === 'tag',
        sha: ref.sha,
        refProtected,
        configProjectId: project.id,
        source,
        mergeRequestId: null,
        variables: (dto.variables ?? []).map((v) => ({ key: v.key, value: v.value, variable_type: v.variable_type ?? 'env_var' })),
      });
    });
  }

  /** The ref a user asks a pipeline for, if it exists and they may run one for it, and whether it is protected. */
  async authorizeRef(
    tx: EntityManager,
    caller: Caller,
    project: Project,
    refName: string,
    level: AccessLevel,
  ): Promise<{ ref: ResolvedRef; refProtected: boolean }> {
    const ref = await this.repository.resolveRef(tx, project.id, refName);
    if (!ref) throw pipelineNotCreated('Reference not found');
    return { ref, refProtected: await this.assertMayRunFor(tx, caller, level, ref, project.id) };
  }

  /**
   * Reads and checks `.gitlab-ci.yml` at `plan.sha` in the project the code comes from (a fork, for a fork
   * merge-request pipeline), then stores the pipeline in `project` with its jobs. Callers decided who may run it.
   */
  async insert(tx: EntityManager, caller: Caller, project: Project, plan: PipelinePlan): Promise<Pipeline> {
    const planned = await this.planner.plan(tx, caller, project, plan);
    if (planned.kind === 'invalid') throw pipelineNotCreated(...planned.errors);
    if (planned.kind === 'empty') throw pipelineNotCreated('No stages / jobs for this pipeline.');
    if (planned.selection.errors.length > 0) throw pipelineNotCreated(...planned.selection.errors);
    return this.store(tx, caller, project, plan, planned.selection);
  }

  /**
   * GitLab's pipeline for a push (a commit, a new branch or tag), run as the pusher, when the pushed commit has a
   * `.gitlab-ci.yml`: skipped when its message says `[skip ci]` (`Chain::Skip`), stored failed with its errors when the YAML is invalid
   * (the push itself stands), not created when the pusher may not run one or it has no jobs.
   */
  createForPush(caller: Caller, project: Project, push: PushedRef): Promise<Pipeline | null> {
    return this.db.transaction(async (tx) => {
      if (!(await this.repository.readFile(tx, project.id, push.sha, CI_CONFIG_PATH))) return null;
      const level = await this.access.levelOnProject(caller.user, project, tx);
      const ref: ResolvedRef = { name: push.ref, refType: push.refType, sha: push.sha };
      const decision = await this.mayRunFor(tx, caller, level, ref, project.id);
      if (decision.refused) return null;
      const plan: PipelinePlan = {
        ref: push.ref,
        sourceRef: push.ref,
        tag: push.refType === 'tag',
        sha: push.sha,
        refProtected: decision.refProtected,
        configProjectId: project.id,
        source: 'push',
        mergeRequestId: null,
        variables: (push.variables ?? []).map(({ key, value }) => ({ key, value, variable_type: 'env_var' as const })),
        beforeSha: push.before ?? null,
      };
      // GitLab reads the pipeline commit's message (`git_commit_message`), also for a new branch or tag.
      const commit = await this.repository.findCommit(tx, project.id, push.sha);
      if (commitMessageSkipsCi(commit?.message ?? null)) return this.storeFinished(tx, caller, project, plan, 'skipped', null);
      const planned = await this.planner.plan(tx, caller, project, plan);
      if (planned.kind === 'invalid') return this.storeFinished(tx, caller, project, plan, 'failed', planned.errors.join(', '));
      if (planned.kind === 'empty') return null;
      const { selection } = planned;
      // Filtered out by workflow:rules or by every job's rules: GitLab stores nothing for a push.
      if (selection.filtered) return null;
      if (selection.errors.length > 0) return this.storeFinished(tx, caller, project, plan, 'failed', selection.errors.join(', '));
      return this.store(tx, caller, project, plan, selection);
    });
  }

  /** A pipeline that never runs: skipped, or failed on its configuration (GitLab's `yaml_errors`). */
  private async storeFinished(
    tx: EntityManager,
    caller: Caller,
    project: Project,
    plan: PipelinePlan,
    status: 'skipped' | 'failed',
    yamlErrors: string | null,
  ) {
    const now = this.clock.now();
    const row = { ...(await this.pipelineRow(tx, caller, project, plan)), status, yamlErrors, finishedAt: now };
    return tx.getRepository(Pipeline).save(tx.getRepository(Pipeline).create(row));
  }

  private async pipelineRow(tx: EntityManager, caller: Caller, project: Project, plan: PipelinePlan) {
    return {
      projectId: project.id,
      iid: await nextPipelineIid(tx, project.id),
      ref: plan.ref,
      tag: plan.tag,
      sha: plan.sha,
      beforeSha: plan.beforeSha ?? null,
      source: plan.source,
      userId: caller.user.id,
      variables: [...plan.variables],
      mergeRequestId: plan.mergeRequestId,
      name: null as string | null,
      yamlErrors: null,
      startedAt: null,
      finishedAt: null,
    };
  }

  private async store(tx: EntityManager, caller: Caller, project: Project, plan: PipelinePlan, selection: JobSelection): Promise<Pipeline> {
    const row = { ...(await this.pipelineRow(tx, caller, project, plan)), name: selection.name, status: 'created' as const };
    const pipeline = await tx.getRepository(Pipeline).save(tx.getRepository(Pipeline).create(row));
    // Environment names expand CI_COMMIT_REF_NAME, which is the source ref.
    const environments = new EnvironmentNames(
      tx,
      this.config.externalUrl,
      project,
      { ...pipeline, ref: plan.sourceRef },
      plan.refProtected,
      caller.user,
    );
    // `key:files` are read where `.gitlab-ci.yml` was: the project the code comes from.
    await this.repository.ensureTree(tx, plan.configProjectId, plan.sha);
    const runnerOptions = new RunnerOptionsSeed(tx, { projectId: plan.configProjectId, sha: plan.sha }, (job) =>
      environments.variablesFor(job),
    );
    const planned: PlannedJob[] = [];
    const ensured = new Map<string, { name: string; tier: DeploymentTier }>();
    for (const job of selection.jobs) {
      const environment = await environments.of(job);
      const stageIdx = selection.stages.indexOf(job.stage);
      planned.push(
        await planJob(
          tx,
          { project, pipeline, job, stageIdx, refProtected: plan.refProtected, environment, runnerOptions },
          this.clock.now(),
        ),
      );
      if (environment?.valid) ensured.set(environment.definition.name, { name: environment.definition.name, tier: environment.tier });
    }
    await insertJobs(tx, planned);
    for (const environment of ensured.values()) {
      await this.environments.ensure(tx, project.id, environment.name, environment.tier);
    }
    await this.progress.advance(tx, pipeline.id);
    return tx.getRepository(Pipeline).findOneByOrFail({ id: pipeline.id });
  }

  /** Developers run pipelines; on a protected ref only those who may push to it or merge into it (GitLab). */
  private async assertMayRunFor(
    tx: EntityManager,
    caller: Caller,
    level: AccessLevel,
    ref: ResolvedRef,
    projectId: number,
  ): Promise<boolean> {
    const decision = await this.mayRunFor(tx, caller, level, ref, projectId);
    if (decision.refused) throw pipelineNotCreated(decision.refused);
    return decision.refProtected;
  }

  private async mayRunFor(tx: EntityManager, caller: Caller, level: AccessLevel, ref: ResolvedRef, projectId: number) {
    const protection = await this.repository.protection(tx, projectId, ref.refType);
    const actor = { level, admin: caller.user.admin };
    const refused = pipelinePermissionError({
      mayCreatePipeline: actor.admin || level >= AccessLevel.Developer,
      mayWriteRef: protection.allowsPipeline(ref.name, actor),
      ref: ref.name,
    });
    return { refused, refProtected: protection.isProtected(ref.name) };
  }
}
