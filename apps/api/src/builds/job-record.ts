import { Inject, Injectable } from '@nestjs/common';
import type { EnvironmentDefinition } from '@lanyard/ci-config';
import type { ClaimNameRegistry, CustomClaimLevel, ReclaimedPathFacts } from '@lanyard/id-tokens';
import type { JobSnapshot } from '@lanyard/pickup';
import type { AccessLevel } from '@lanyard/access';
import type { ProtectionRule } from '@lanyard/git-refs';
import { guessDeploymentTier } from '@lanyard/pipelines';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, type Clock, utcDate } from '../clock/clock';
import { CiSettingsRow, CiSettingsService, EffectiveCiSettings, effectiveCiSettings } from '../ci-settings/ci-settings.service';
import { DeployAccessService } from '../environments/deploy-access.service';
import { Environment } from '../environments/environment.entity';
import { EnvironmentsService } from '../environments/environments.service';
import { MergeRequest } from '../merge-requests/merge-request.entity';
import { Namespace } from '../namespaces/namespace.entity';
import { loadNamespacePaths } from '../namespaces/namespace-paths';
import { Pipeline } from '../pipelines/pipeline.entity';
import { Project } from '../projects/project.entity';
import { RepositoryService } from '../repository/repository.service';
import type { Runner } from '../runners/runner.entity';
import { User } from '../users/user.entity';
import { CiVariable } from '../variables/ci-variable.entity';
import { CiVariablesService } from '../variables/variables.service';
import { BuildMetadata } from './build-metadata.entity';
import { claimTreeOf, type ClaimTreeRow } from '../custom-claims/custom-claims.repository';
import { CustomClaimsService } from '../custom-claims/custom-claims.service';
import { levelsOf } from '../custom-claims/claim-tree';
import { PREPARED } from '../database/prepared-statements';
import { loadTokenFacts, type TokenFactsRow } from '../id-tokens/token-facts';
import { jobFactsSql } from './job-facts-sql';
import { claimQuery } from './pending-builds';
import { SnapshotStatement } from './snapshot-statement';
import { Build } from './build.entity';

/**
 * Everything about one job that its payload and its ID tokens are made from, read once per pickup: the snapshot
 * (`@lanyard/pickup`) as the app's rows, and what only the tokens need.
 */
export interface JobRecord extends JobSnapshot {
  readonly build: Build;
  readonly metadata: BuildMetadata;
  readonly pipeline: Pipeline;
  /** GitLab's `source_ref`: the pipeline's branch or tag; a merge request's source branch for its pipelines. */
  readonly sourceRef: string;
  readonly project: Project;
  readonly namespace: Namespace;
  readonly namespaceFullPath: string;
  readonly rootNamespace: Namespace;
  readonly user: User | null;
  /** The project's and its groups' CI variables, before protection and environment scope choose among them. */
  readonly ciVariables: readonly CiVariable[];
  /** The project's CI settings as they apply now (opt-in JWT, `sub` components). */
  readonly ciSettings: EffectiveCiSettings;
  /** Null for a job the token preview imagines: nothing a runner adds is known yet. */
  readonly runner: Runner | null;
  /**
   * A merge-request pipeline whose source project (a fork) was deleted: its jobs are dropped with `project_deleted`
   * before anything is built from `mergeRequest` (null then), so no token ever names the job's project for them.
   */
  readonly sourceProjectDeleted: boolean;
  /** A merge-request pipeline's merge request, with the project its code comes from (a fork, or the job's project). */
  readonly mergeRequest: {
    readonly record: MergeRequest;
    readonly sourceProject: Project;
    readonly sourceNamespace: Namespace;
    readonly sourceNamespaceFullPath: string;
    readonly targetFullPath: string;
    readonly targetBranchProtected: boolean;
  } | null;
  readonly environment: {
    readonly definition: EnvironmentDefinition;
    readonly record: Environment;
    readonly protected: boolean;
    /** False: the job's user may not deploy to this protected environment (any more): it must not run. */
    readonly deployAllowed: boolean;
  } | null;
  /** Root group → project, as stored now: a claim a group locked after the pipeline was created fails the job. */
  readonly claimLevels: readonly CustomClaimLevel[];
  /** The registry's entries for the names those levels and the job's `jwt_claims` use, as stored now. */
  readonly claimNames: ClaimNameRegistry;
  readonly reclaimedPaths: ReclaimedPathFacts;
  /** The signing key the claim found active and share-locked until the transaction ends; null if none (a preview). */
  readonly lockedSignerKid: string | null;
}

/** The rows `load` maps onto the build it reads, taken off it again at once. */
interface Snapshot {
  snapshotMetadata: BuildMetadata;
  snapshotPipeline: Pipeline;
  snapshotProject: Project;
  snapshotNamespace: Namespace;
  snapshotRoot: Namespace;
  snapshotUser: User | undefined;
  snapshotVariables: CiVariable[];
}

/** What `complete` reads itself for a preview; the pickup's snapshot query has it already. */
interface ProjectRows {
  readonly namespace: Namespace;
  readonly rootNamespace: Namespace;
  readonly namespaceFullPath: string;
  readonly ciVariables: readonly CiVariable[];
  readonly ciSettings: EffectiveCiSettings;
  readonly claimLevels: readonly CustomClaimLevel[];
  readonly claimNames: ClaimNameRegistry;
  /** The job project's rules for the job's ref type, for a protected job; read by the claim, or by `complete`. */
  readonly protectionRules: readonly ProtectionRule[] | null;
  /** Asked of the job's own project by the claim; null when not read with the rest (a preview). */
  readonly tokenFacts: TokenFactsRow | null;
  readonly lockedSignerKid: string | null;
}

@Injectable()
export class JobRecordLoader {
  constructor(
    private readonly environments: EnvironmentsService,
    private readonly deployAccess: DeployAccessService,
    private readonly repository: RepositoryService,
    private readonly variables: CiVariablesService,
    private readonly ciSettings: CiSettingsService,
    private readonly customClaims: CustomClaimsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  private readonly snapshotStatements = new Map<string, SnapshotStatement>();

  /**
   * Claims the runner's next job (`claimQuery`) and reads its snapshot in the same statement: its own rows, its
   * project, namespace (with its full path), root namespace and user; then what depends on them (environment, merge
   * request). The same statement reads the custom-claim levels and the tokens' facts, and share-locks the row of
   * `signerKid`, the key the tokens will be signed with. Null when nothing in the runner's scope is queued.
   */
  async claim(tx: EntityManager, runner: Runner, signerKid: string | null): Promise<JobRecord | null> {
    const statement = this.snapshotStatement(runner.runnerType, signerKid !== null);
    const { entities, raw } = await statement.run(tx, {
      claimScope: runner.runnerType === 'group_type' ? runner.namespaceId : runner.projectId,
      runnerId: runner.id,
      runnerDigest: runner.tokenDigest,
      factsToday: utcDate(this.clock.now()),
      signerKid,
    });
    if (entities.length === 0) return null;
    const {
      snapshotMetadata: metadata,
      snapshotPipeline: pipeline,
      snapshotProject: project,
      snapshotNamespace: namespace,
      snapshotRoot: rootNamespace,
      snapshotUser: user,
      snapshotVariables: ciVariables,
      ...rest
    } = entities[0] as Build & Snapshot;
    const build = Object.assign(new Build(), rest);
    const tokenFacts = raw[0].token_facts as TokenFactsRow;
    const claimTree = claimTreeOf(raw[0].claim_tree as ClaimTreeRow);
    const read: ProjectRows = {
      namespace,
      rootNamespace,
      namespaceFullPath: raw[0].namespace_full_path as string,
      ciVariables,
      ciSettings: effectiveCiSettings(raw[0].ci_settings as CiSettingsRow),
      claimLevels: levelsOf(claimTree, { kind: 'project', id: rest.projectId }),
      claimNames: claimTree.names,
      protectionRules: raw[0].protection_rules as ProtectionRule[],
      tokenFacts,
      lockedSignerKid: tokenFacts.signer_state === 'active' ? signerKid : null,
    };
    return this.complete(tx, { build, metadata, pipeline, project, user: user ?? null, runner }, read);
  }

  /** Built by TypeORM once per runner type (each has its own queue scope) and whether a key is share-locked. */
  private snapshotStatement(runnerType: Runner['runnerType'], locksSigner: boolean): SnapshotStatement {
    const key = `${runnerType}:${locksSigner}`;
    const known = this.snapshotStatements.get(key);
    if (known) return known;
    const query = this.db
      .createQueryBuilder(Build, 'b')
      .comment(PREPARED)
      .addCommonTableExpression(
        claimQuery({ runnerType }, { scope: ':claimScope', runnerId: ':runnerId', runnerDigest: ':runnerDigest' }),
        'claimed',
      )
      .addCommonTableExpression(jobFactsSql(locksSigner), 'job_facts', { materialized: true })
      .innerJoin('job_facts', 'jf', 'jf.build_id = b.id')
      .innerJoinAndMapOne('b.snapshotMetadata', BuildMetadata, 'm', 'm.buildId = b.id')
      .innerJoinAndMapOne('b.snapshotPipeline', Pipeline, 'p', 'p.id = b.pipelineId')
      .innerJoinAndMapOne('b.snapshotProject', Project, 'pr', 'pr.id = b.projectId')
      .innerJoinAndMapOne('b.snapshotNamespace', Namespace, 'n', 'n.id = pr.namespaceId')
      .innerJoinAndMapOne('b.snapshotRoot', Namespace, 'r', 'r.id = n.traversal_ids[1]')
      .leftJoinAndMapOne('b.snapshotUser', User, 'u', 'u.id = b.userId')
      // `CiVariablesService.candidatesFor`'s rows: one result row each, so everything computed per job is in `jf`.
      .leftJoinAndMapMany(
        'b.snapshotVariables',
        CiVariable,
        'v',
        "v.projectId = pr.id OR (n.type = 'Group' AND v.namespaceId = ANY(n.traversal_ids))",
      )
      .orderBy('v.id', 'ASC')
      .addSelect('jf.namespace_full_path', 'namespace_full_path')
      .addSelect('jf.ci_settings', 'ci_settings')
      .addSelect('jf.claim_tree', 'claim_tree')
      .addSelect('jf.token_facts', 'token_facts')
      .addSelect('jf.protection_rules', 'protection_rules')
      // A job canceled or failed while its queue row stayed is taken off the queue and never handed out.
      .where("b.id = (SELECT build_id FROM claimed) AND b.status = 'pending'");
    const statement = SnapshotStatement.build(query, this.db.driver, ['claimScope', 'runnerId', 'runnerDigest', 'factsToday', 'signerKid']);
    this.snapshotStatements.set(key, statement);
    return statement;
  }

  /**
   * A job not created yet, as the pickup would see it now: the token preview's record, read by the same code as the
   * pickup's. Nothing is written (its environment is only looked up) and no runner is known.
   */
  preview(tx: EntityManager, draft: JobDraft): Promise<JobRecord> {
    return this.complete(tx, { ...draft, runner: null });
  }

  private async complete(tx: EntityManager, job: JobDraft & { readonly runner: Runner | null }, read?: ProjectRows): Promise<JobRecord> {
    const { build, metadata, project, user, runner } = job;
    const preview = runner === null;
    const rows = read ?? (await this.projectRowsOf(tx, project, metadata.jwtClaims));
    const { namespace, rootNamespace, namespaceFullPath, ciVariables, ciSettings } = rows;
    const definition = metadata.environment;
    let environment: JobRecord['environment'] = null;
    if (definition) {
      // Created with the pipeline; ensured again in case it was deleted while the job waited.
      const tier = definition.deploymentTier ?? guessDeploymentTier(definition.name);
      const record = preview
        ? ((await tx.getRepository(Environment).findOneBy({ projectId: project.id, name: definition.name })) ??
          tx.getRepository(Environment).create({ projectId: project.id, name: definition.name, tier }))
        : await this.environments.ensure(tx, project.id, definition.name, tier);
      // Access may have changed while the job waited (GitLab checks when queuing; we check again at pickup).
      const access = await this.deployAccess.decide(
        tx,
        { projectId: project.id, namespaceTraversalIds: namespace.traversalIds },
        user,
        definition.name,
      );
      environment = { definition, record, protected: access.protected, deployAllowed: access.allowed };
    }
    const mergeRequest = await this.mergeRequestOf(tx, job.pipeline, project, namespace);
    const sourceProjectDeleted = mergeRequest === SOURCE_PROJECT_DELETED;
    // A fork's code never deploys to a protected environment of the project it runs in, whoever started it: so
    // `environment_protected: "true"` never comes with code the project's own members did not write (stricter than
    // GitLab, which admits it when the user who started the pipeline may deploy).
    const fromFork = mergeRequest !== null && (sourceProjectDeleted || mergeRequest.sourceProject.id !== project.id);
    if (environment?.protected && fromFork) environment = { ...environment, deployAllowed: false };
    const sourceRef = (mergeRequest !== SOURCE_PROJECT_DELETED && mergeRequest?.record.sourceBranch) || job.pipeline.ref;
    const forkSource = fromFork && !sourceProjectDeleted ? mergeRequest : null;
    // GitLab's `source_project`: the `project_path` reclaim check is the fork's (gitlab#548165). The user's access is
    // read where the job runs: `user_access_level` says what they may do there, not on their own fork.
    const source = forkSource
      ? { id: forkSource.sourceProject.id, path: `${forkSource.sourceNamespaceFullPath}/${forkSource.sourceProject.path}` }
      : { id: project.id, path: `${namespaceFullPath}/${project.path}` };
    const tokenFacts =
      rows.tokenFacts !== null && !forkSource
        ? rows.tokenFacts
        : await loadTokenFacts(tx, {
            userId: user?.id ?? null,
            today: this.clock.now(),
            sourceProjectId: source.id,
            sourceProjectPath: source.path,
            jobProjectId: project.id,
            jobNamespaceTraversalIds: namespace.traversalIds,
            jobProjectPath: `${namespaceFullPath}/${project.path}`,
          });
    return {
      build,
      metadata,
      pipeline: job.pipeline,
      sourceRef,
      project,
      namespace,
      namespaceFullPath,
      rootNamespace,
      user,
      ciVariables,
      ciSettings,
      runner,
      mergeRequest: sourceProjectDeleted ? null : mergeRequest,
      sourceProjectDeleted,
      environment,
      claimLevels: rows.claimLevels,
      claimNames: rows.claimNames,
      protectionRules:
        rows.protectionRules ??
        (build.protected ? (await this.repository.protection(tx, project.id, job.pipeline.tag ? 'tag' : 'branch')).rules : []),
      tokenFacts: {
        memberships: tokenFacts.memberships.map((row) => ({
          sourceType: row.source_type,
          sourceId: Number(row.source_id),
          accessLevel: row.access_level as AccessLevel,
        })),
        directGroupPaths: tokenFacts.direct_group_paths,
      },
      reclaimedPaths: {
        blockJwtForReclaimedPaths: tokenFacts.block_jwt_for_reclaimed_paths,
        reclaimed: { project_path: tokenFacts.project_path, job_project_path: tokenFacts.job_project_path },
      },
      lockedSignerKid: rows.lockedSignerKid,
    };
  }

  private async projectRowsOf(tx: EntityManager, project: Project, jwtClaims: BuildMetadata['jwtClaims']): Promise<ProjectRows> {
    const namespace = await tx.getRepository(Namespace).findOneByOrFail({ id: project.namespaceId });
    const rootId = namespace.traversalIds[0];
    const rootNamespace = rootId === namespace.id ? namespace : await tx.getRepository(Namespace).findOneByOrFail({ id: rootId });
    return {
      namespace,
      rootNamespace,
      namespaceFullPath: (await loadNamespacePaths(tx, [namespace])).get(namespace.id)!.fullPath,
      ciVariables: await this.variables.candidatesFor(tx, project, namespace),
      ciSettings: await this.ciSettings.forProject(tx, project.id),
      ...(await this.claimRulesOf(tx, project, jwtClaims)),
      protectionRules: null,
      tokenFacts: null,
      lockedSignerKid: null,
    };
  }

  private async claimRulesOf(tx: EntityManager, project: Project, jwtClaims: BuildMetadata['jwtClaims']) {
    const { levels, names } = await this.customClaims.projectRules(tx, project, jwtClaims ? [jwtClaims] : []);
    return { claimLevels: levels, claimNames: names };
  }

  private async mergeRequestOf(
    tx: EntityManager,
    pipeline: Pipeline,
    project: Project,
    namespace: Namespace,
  ): Promise<JobRecord['mergeRequest'] | typeof SOURCE_PROJECT_DELETED> {
    // A previewed pipeline is unsaved and has no merge request.
    if (pipeline.mergeRequestId === null || pipeline.mergeRequestId === undefined) return null;
    const record = await tx.getRepository(MergeRequest).findOneByOrFail({ id: pipeline.mergeRequestId });
    const sourceProjectId = record.sourceProjectId;
    if (sourceProjectId === null) return SOURCE_PROJECT_DELETED;
    const target =
      record.targetProjectId === project.id ? project : await tx.getRepository(Project).findOneByOrFail({ id: record.targetProjectId });
    const sourceProject =
      sourceProjectId === project.id ? project : await tx.getRepository(Project).findOneByOrFail({ id: sourceProjectId });
    const sourceNamespace =
      sourceProject.namespaceId === namespace.id
        ? namespace
        : await tx.getRepository(Namespace).findOneByOrFail({ id: sourceProject.namespaceId });
    const targetNamespace =
      target.namespaceId === namespace.id ? namespace : await tx.getRepository(Namespace).findOneByOrFail({ id: target.namespaceId });
    const paths = await loadNamespacePaths(tx, [sourceNamespace, targetNamespace]);
    return {
      record,
      sourceProject,
      sourceNamespace,
      sourceNamespaceFullPath: paths.get(sourceNamespace.id)!.fullPath,
      targetFullPath: `${paths.get(targetNamespace.id)!.fullPath}/${target.path}`,
      targetBranchProtected: await this.repository.isProtectedRef(tx, target.id, record.targetBranch, 'branch'),
    };
  }
}

const SOURCE_PROJECT_DELETED = Symbol('source project deleted');

/** A job's own rows (unsaved for a preview), its project and its user. */
export interface JobDraft {
  readonly build: Build;
  readonly metadata: BuildMetadata;
  readonly pipeline: Pipeline;
  readonly project: Project;
  readonly user: User | null;
}
