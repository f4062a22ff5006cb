import { projectFullPath } from '@lanyard/access';
import { type DeploymentTier, EnvironmentDefinition, JobDefinition, isValidEnvironmentName } from '@lanyard/ci-config';
import {
  BLANK_SHA,
  CreationContext,
  creationVariables,
  expandReferences,
  expandVariableCollection,
  guessDeploymentTier,
  lastValues,
} from '@lanyard/pipelines';
import { EntityManager } from 'typeorm';
import { Namespace } from '../entities/namespace.entity';
import { loadNamespacePaths } from '../routes/namespace-paths';
import type { Project } from '../entities/project.entity';
import type { User } from '../entities/user.entity';
import type { Pipeline } from './pipeline.entity';

/** A job's environment as created: its name expanded (GitLab's `expanded_environment_name`), or why it cannot be. */
export type JobEnvironment =
  | { readonly valid: true; readonly definition: EnvironmentDefinition; readonly tier: DeploymentTier }
  | { readonly valid: false; readonly definition: EnvironmentDefinition };

/** Expands the environment names of a new pipeline's jobs; reads the project's namespaces once, and only if a name has a reference. */
export class EnvironmentNames {
  private context: Omit<CreationContext, 'job'> | null = null;

  constructor(
    private readonly tx: EntityManager,
    private readonly serverUrl: string,
    private readonly project: Project,
    /** `iid` is null for a pipeline not saved (a preview's). */
    // A preview's pipeline has no `beforeSha`: no push creates it.
    private readonly pipeline: Pick<Pipeline, 'source' | 'sha' | 'ref' | 'tag' | 'variables'> & {
      readonly iid: number | null;
      readonly beforeSha?: string | null;
    },
    private readonly refProtected: boolean,
    private readonly user: User,
  ) {}

  async of(job: JobDefinition): Promise<JobEnvironment | null> {
    const written = job.environment;
    if (!written) return null;
    // GitLab's `ExpandVariables.possible_var_reference?`: most names have none, and need no context.
    const name = /[$%]/.test(written.name) ? expandReferences(written.name, await this.variablesFor(job)) : written.name;
    const definition = { ...written, name };
    if (!isValidEnvironmentName(name)) return { valid: false, definition };
    return { valid: true, definition, tier: written.deploymentTier ?? guessDeploymentTier(name) };
  }

  /**
   * As GitLab's `expanded_environment_name`: the variables known at creation, expanded among themselves first (also
   * what a job's tags expand against).
   */
  async variablesFor(job: JobDefinition): Promise<Map<string, string>> {
    this.context ??= await this.loadContext();
    const context: CreationContext = {
      ...this.context,
      job: { name: job.name, stage: job.stage, timeoutSeconds: job.timeoutSeconds ?? this.project.buildTimeout, script: job.script },
    };
    return lastValues(expandVariableCollection(creationVariables(context, job.variables, this.pipeline.variables)).variables);
  }

  private async loadContext(): Promise<Omit<CreationContext, 'job'>> {
    const { tx, project, pipeline, refProtected, user } = this;
    const namespace = await tx.getRepository(Namespace).findOneByOrFail({ id: project.namespaceId });
    const rootId = namespace.traversalIds[0];
    const root = rootId === namespace.id ? namespace : await tx.getRepository(Namespace).findOneByOrFail({ id: rootId });
    const namespaceFullPath = (await loadNamespacePaths(tx, [namespace])).get(namespace.id)!.fullPath;
    return {
      serverUrl: this.serverUrl,
      pipeline: {
        iid: pipeline.iid,
        source: pipeline.source,
        sha: pipeline.sha,
        beforeSha: pipeline.beforeSha ?? BLANK_SHA,
        ref: pipeline.ref,
        refType: pipeline.tag ? 'tag' : 'branch',
        refProtected,
      },
      project: {
        id: project.id,
        name: project.name,
        path: project.path,
        fullPath: projectFullPath(namespaceFullPath, project.path),
        namespaceId: namespace.id,
        namespaceFullPath,
        rootNamespaceId: root.id,
        rootNamespacePath: root.path,
        visibility: project.visibility,
        defaultBranch: project.defaultBranch,
      },
      user: { id: user.id, username: user.username, email: user.email, name: user.name },
    };
  }
}
