import { Injectable } from '@nestjs/common';
import type { CiConfigWithIncludes, JobSelection } from '@lanyard/ci-config';
import type { EntityManager } from 'typeorm';
import type { Caller } from '../auth/caller';
import { CiSettingsService } from '../ci-settings/ci-settings.service';
import { CustomClaimsService } from '../custom-claims/custom-claims.service';
import { jobClaimErrors } from '../custom-claims/job-claim-errors';
import { Project } from '../entities/project.entity';
import { AudienceSecretsService } from '../id-tokens/audience-secrets.service';
import { RepositoryService } from '../repository/repository.service';
import { ciConfigOptions } from './ci-config-options';
import { CiConfigSource } from './ci-config-source';
import { PipelineFactsLoader } from './pipeline-facts';
import type { PipelinePlan } from './pipeline-plan';

export const CI_CONFIG_PATH = '.gitlab-ci.yml';

/** What a pipeline for a plan would be, decided without writing anything. */
export type PlannedPipeline =
  /** The config is missing or invalid, or the project's rules refuse it. */
  | { readonly kind: 'invalid'; readonly errors: readonly string[] }
  /** A valid config with no visible job. */
  | { readonly kind: 'empty'; readonly config: CiConfigWithIncludes }
  /** `selection.errors` (e.g. filtered out by `workflow:rules`) say why it would not be created, when not empty. */
  | { readonly kind: 'selected'; readonly config: CiConfigWithIncludes; readonly selection: JobSelection };

/** The traversal ids of a project's namespace (root first). */
async function projectNamespaceIds(tx: EntityManager, projectId: number): Promise<number[]> {
  const [row]: { traversal_ids: number[] }[] = await tx.query(
    'SELECT n.traversal_ids FROM projects p JOIN namespaces n ON n.id = p.namespace_id WHERE p.id = $1',
    [projectId],
  );
  return row.traversal_ids.map(Number);
}

/**
 * The read-only half of pipeline creation: reads and checks `.gitlab-ci.yml` (or the content given) for a plan, then
 * selects its jobs by `workflow:rules`, `rules:` and `only`/`except`. Creation stores what this decides; lint's
 * `dry_run` and the token preview show it. One code path, so what is shown is what would be created.
 */
@Injectable()
export class PipelinePlanner {
  constructor(
    private readonly repository: RepositoryService,
    private readonly ciSettings: CiSettingsService,
    private readonly audienceSecrets: AudienceSecretsService,
    private readonly customClaims: CustomClaimsService,
    private readonly facts: PipelineFactsLoader,
    private readonly ciConfigSource: CiConfigSource,
  ) {}

  /** `content` replaces the file at `plan.sha` in the project the code comes from (lint's posted content). */
  async plan(tx: EntityManager, caller: Caller, project: Project, plan: PipelinePlan, content?: string): Promise<PlannedPipeline> {
    const checked = await this.check(tx, caller, project, plan, content);
    if (checked.kind !== 'checked') return checked;
    const { config } = checked;
    if (config.jobs.length === 0) return { kind: 'empty', config };
    return { kind: 'selected', config, selection: await this.facts.selectJobs(tx, caller, project, plan, config) };
  }

  private async check(
    tx: EntityManager,
    caller: Caller,
    project: Project,
    plan: PipelinePlan,
    content?: string,
  ): Promise<{ kind: 'checked'; config: CiConfigWithIncludes } | { kind: 'invalid'; errors: string[] }> {
    const text = content ?? (await this.repository.readFile(tx, plan.configProjectId, plan.sha, CI_CONFIG_PATH))?.content.toString('utf8');
    if (text === undefined) return { kind: 'invalid', errors: ['Missing CI config file'] };
    const config = await this.ciConfigSource.parseForPipeline(
      tx,
      caller.user,
      plan,
      text,
      // A pipeline stores jobs, never the merged YAML lint shows (lint's dry run shows its static check's).
      { ...ciConfigOptions((await this.ciSettings.forProject(tx, project.id)).optInJwt), mergedYaml: false },
    );
    if (!config.valid) return { kind: 'invalid', errors: [...config.errors] };
    const audienceErrors = await this.audienceSecrets.errorsFor(tx, project, config.jobs);
    if (audienceErrors.length) return { kind: 'invalid', errors: audienceErrors };
    const claimRules = await this.customClaims.projectRules(
      tx,
      project,
      config.jobs.flatMap((job) => (job.jwtClaims ? [job.jwtClaims] : [])),
    );
    // A fork's jobs write their claims in the fork: owned names are checked where the code comes from.
    const codeNamespaceIds =
      plan.configProjectId === project.id ? claimRules.namespaceIds : await projectNamespaceIds(tx, plan.configProjectId);
    const claimErrors = jobClaimErrors(claimRules, config.jobs, codeNamespaceIds);
    if (claimErrors.length) return { kind: 'invalid', errors: claimErrors };
    return { kind: 'checked', config };
  }
}
