import { Inject, Injectable } from '@nestjs/common';
import { AccessLevel } from '@lanyard/access';
import {
  type CiConfigWithIncludes,
  type IncludeLoader,
  type IncludeProject,
  type ParseCiConfigOptions,
  parseCiConfigWithIncludes,
} from '@lanyard/ci-config';
import { EntityManager } from 'typeorm';
import { AccessService } from '../auth/access.service';
import { CLOCK, type Clock } from '../clock/clock';
import { Project } from '../entities/project.entity';
import type { User } from '../entities/user.entity';
import { findProject } from '../routes/find-project';
import { loadProjectFullPath } from '../routes/project-full-path';
import { RepositoryService } from '../repository/repository.service';

/** Where a `.gitlab-ci.yml` was read, and for whom its includes are resolved. */
export interface CiConfigOrigin {
  /** The pipeline's user: an included project they may not read is "not found", never read. */
  readonly user: User;
  /** The project the file comes from (a fork, for a fork's merge-request pipeline) and the commit it was read at. */
  readonly projectId: number;
  readonly sha: string;
  /** The ref the pipeline runs for (`CI_COMMIT_REF_NAME` in include locations). */
  readonly refName: string;
  readonly pipelineSource: string;
  /** Variables passed to the pipeline; include locations may use them, as GitLab's. */
  readonly variables?: readonly { readonly key: string; readonly value: string }[];
}

/** GitLab: `GITLAB_CI_CONFIG_FETCH_TIMEOUT_SECONDS` defaults to 30. */
const FETCH_TIMEOUT_MS = 30_000;

/** What of a pipeline's plan its configuration is read at. */
export interface PipelineConfigAt {
  readonly configProjectId: number;
  readonly sha: string;
  readonly sourceRef: string;
  readonly source: string;
  readonly variables: readonly { readonly key: string; readonly value: string }[];
}

/**
 * Parses a project's `.gitlab-ci.yml` with its `include:`s resolved from the repository (GitLab's
 * `External::Context`): `local` files at the pipeline's commit, `project` files at a ref, each visible to the user.
 */
@Injectable()
export class CiConfigSource {
  constructor(
    private readonly repository: RepositoryService,
    private readonly access: AccessService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** For a pipeline (the plan `PipelineCreationService` stores): its includes as its user may read them. */
  parseForPipeline(db: EntityManager, user: User, plan: PipelineConfigAt, content: string, options: ParseCiConfigOptions) {
    const { configProjectId: projectId, sha, sourceRef: refName, source: pipelineSource, variables } = plan;
    return this.parse(db, content, { user, projectId, sha, refName, pipelineSource, variables }, options);
  }

  async parse(db: EntityManager, content: string, origin: CiConfigOrigin, options: ParseCiConfigOptions): Promise<CiConfigWithIncludes> {
    const project = await db.getRepository(Project).findOneByOrFail({ id: origin.projectId });
    const fullPath = await loadProjectFullPath(db, project);
    const namespace = fullPath.slice(0, fullPath.lastIndexOf('/'));
    // GitLab's include context variables are project, group and pipeline variables and some predefined ones.
    const variables = {
      CI_PROJECT_PATH: fullPath,
      CI_PROJECT_NAME: project.path,
      CI_PROJECT_NAMESPACE: namespace,
      CI_DEFAULT_BRANCH: project.defaultBranch ?? '',
      CI_COMMIT_REF_NAME: origin.refName,
      CI_COMMIT_SHA: origin.sha,
      CI_PIPELINE_SOURCE: origin.pipelineSource,
      ...Object.fromEntries((origin.variables ?? []).map((variable) => [variable.key, variable.value])),
    };
    // GitLab's default fetch timeout.
    const deadline = this.clock.now().getTime() + FETCH_TIMEOUT_MS;
    const timedOut = () => this.clock.now().getTime() > deadline;
    const context = { project: { id: project.id, fullPath }, sha: origin.sha, variables, timedOut };
    return parseCiConfigWithIncludes(content, context, this.loader(db, origin.user), options);
  }

  /**
   * The repository as `user` sees it: code of a private project only for its reporters and up (GitLab's
   * `download_code`). Answers are kept for the one configuration, as a file may be included many times.
   */
  private loader(db: EntityManager, user: User): IncludeLoader {
    const projects = new Map<number, Project>();
    const answers = new Map<string, Promise<unknown>>();
    const once = <T>(key: string, load: () => Promise<T>): Promise<T> => {
      if (!answers.has(key)) answers.set(key, load());
      return answers.get(key) as Promise<T>;
    };
    return {
      findProject: (path) =>
        once(`project ${path}`, async () => {
          // A full path has a namespace; `findProject` would also take a bare number as an id, which GitLab never does.
          if (!path.includes('/')) return null;
          const project = await findProject(db, path);
          if (!project || !(await this.mayReadCode(db, user, project))) return null;
          projects.set(project.id, project);
          return { id: project.id, fullPath: await loadProjectFullPath(db, project) };
        }),
      resolveRef: (project, ref) =>
        once(`ref ${project.id} ${ref}`, async () => {
          const revision = ref === 'HEAD' ? projects.get(project.id)?.defaultBranch : ref;
          return revision ? ((await this.repository.resolveRevision(db, project.id, revision))?.sha ?? null) : null;
        }),
      readFile: (project, sha, path) =>
        once(
          `file ${project.id} ${sha} ${path}`,
          async () => (await this.repository.readFile(db, project.id, sha, path))?.content.toString('utf8') ?? null,
        ),
      listFiles: (project: IncludeProject, sha: string) =>
        once(`tree ${project.id} ${sha}`, () => this.repository.listPaths(db, project.id, sha)),
    };
  }

  private async mayReadCode(db: EntityManager, user: User, project: Project): Promise<boolean> {
    if (user.admin || project.visibility !== 'private') return true;
    return (await this.access.levelOnProject(user, project, db)) >= AccessLevel.Reporter;
  }
}
