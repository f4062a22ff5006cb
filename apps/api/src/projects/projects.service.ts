import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  AccessLevel,
  PIPELINE_VARIABLES_MINIMUM_OVERRIDE_ROLE_DEFAULT,
  decideAccess,
  mayChoosePipelineVariablesRole,
} from '@lanyard/access';
import { DataSource, EntityManager, In } from 'typeorm';
import { AccessService } from '../auth/access.service';
import { Caller } from '../auth/caller';
import { CiSettingsService, withWarnings } from '../ci-settings/ci-settings.service';
import { CLOCK, type Clock } from '../clock/clock';
import { Page } from '../common/pagination';
import { ListProjectsQuery } from './dto/list-projects.query';
import { projectListSql } from './project-list';
import { PATH_PATTERN, pathFromName } from '../common/path-rules';
import { exceedsVisibility } from '../common/visibility';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { Member } from '../entities/member.entity';
import { Namespace } from '../entities/namespace.entity';
import { loadNamespacePaths } from '../routes/namespace-paths';
import { visibleToSql } from '../auth/visible-to';
import { BUILD_TIMEOUT_DEFAULT } from './build-timeout';
import { CreateProjectDto } from './dto/create-project.dto';
import { UpdateProjectDto } from './dto/update-project.dto';
import { Project } from '../entities/project.entity';
import { assertProjectPathFree, changeProjectPath } from './project-path';
import { presentProject, presentProjectBasic } from './project.presenter';
import type { User } from '../entities/user.entity';
import type { Visibility } from '../common/visibility';
import { ProjectError } from './project-errors';

export interface NewProject {
  readonly name: string;
  readonly path: string;
  readonly description: string;
  readonly visibility: Visibility;
  readonly buildTimeout: number;
  readonly forkedFromProjectId?: number;
}

/** Creating a project in a group takes this level on the group (GitLab's default). */
const PROJECT_CREATION_LEVEL = AccessLevel.Maintainer;

@Injectable()
export class ProjectsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly access: AccessService,
    private readonly ciSettings: CiSettingsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(caller: Caller, dto: CreateProjectDto) {
    if (dto.name === undefined && dto.path === undefined) throw new ProjectError('NAME_OR_PATH_REQUIRED');
    const path = dto.path ?? pathFromName(dto.name!);
    if (path === '') throw new ProjectError('PATH_NOT_DERIVABLE');
    // A path derived from a name skipped the DTO's path rule (a name such as `thing.git` gives a path ending in .git).
    if (!PATH_PATTERN.test(path)) throw new ProjectError('PATH_INVALID');
    const project = await this.db.transaction(async (tx) => {
      const namespace = await this.namespaceFor(tx, caller, dto.namespace_id);
      const visibility = dto.visibility ?? 'private';
      if (namespace.type === 'Group' && exceedsVisibility(visibility, namespace.visibility)) {
        throw new ProjectError('VISIBILITY_ABOVE_GROUP', { visibility, groupVisibility: namespace.visibility });
      }
      return this.createIn(tx, caller, namespace, {
        name: dto.name ?? path,
        path,
        description: dto.description ?? '',
        visibility,
        buildTimeout: dto.build_timeout ?? BUILD_TIMEOUT_DEFAULT,
      });
    });
    return this.present(project, caller.user);
  }

  /** Stores a new project in a namespace the caller may create in (see `namespaceFor`); forks start here too. */
  async createIn(tx: EntityManager, caller: Caller, namespace: Namespace, attributes: NewProject): Promise<Project> {
    await assertProjectPathFree(tx, namespace.id, attributes.path, null);
    const repository = tx.getRepository(Project);
    const created = await repository.save(
      repository.create({
        ...attributes,
        namespaceId: namespace.id,
        defaultBranch: null,
        pipelineVariablesMinimumOverrideRole: PIPELINE_VARIABLES_MINIMUM_OVERRIDE_ROLE_DEFAULT,
        forkedFromProjectId: attributes.forkedFromProjectId ?? null,
        creatorId: caller.user.id,
      }),
    );
    // The creator keeps at least maintainer rights on what they created, whatever they inherit.
    if ((await this.access.levelOnProject(caller.user, created, tx)) < AccessLevel.Maintainer) {
      await tx
        .getRepository(Member)
        .insert({ userId: caller.user.id, sourceType: 'Project', sourceId: created.id, accessLevel: AccessLevel.Maintainer });
    }
    return created;
  }

  /** `level`: the caller's on the project; maintainers reach here, and only owners rename it or change its visibility. */
  async update(caller: Caller, project: Project, level: AccessLevel, dto: UpdateProjectDto) {
    // GitLab's `rename_project` and `change_visibility_level`: a maintainer could otherwise publish a private project.
    const ownersOnly = dto.name !== undefined || dto.path !== undefined || dto.visibility !== undefined;
    if (ownersOnly && !caller.user.admin && level < AccessLevel.Owner) throw new ProjectError('OWNER_ONLY_CHANGE');
    let warnings: string[] = [];
    const updated = await this.db.transaction(async (tx) => {
      const changes: Partial<Project> = {};
      const role = dto.ci_pipeline_variables_minimum_override_role;
      if (role !== undefined) {
        const current = project.pipelineVariablesMinimumOverrideRole;
        if (!mayChoosePipelineVariablesRole(role, current, { level, admin: caller.user.admin })) {
          throw new ProjectError('OVERRIDE_ROLE_OWNER_CHANGE', { direction: role === 'owner' ? 'to' : 'from' });
        }
        changes.pipelineVariablesMinimumOverrideRole = role;
      }
      if (dto.visibility !== undefined) {
        const namespace = await tx.getRepository(Namespace).findOneByOrFail({ id: project.namespaceId });
        if (namespace.type === 'Group' && exceedsVisibility(dto.visibility, namespace.visibility)) {
          throw new ProjectError('VISIBILITY_ABOVE_GROUP', { visibility: dto.visibility, groupVisibility: namespace.visibility });
        }
        const source =
          project.forkedFromProjectId === null ? null : await tx.getRepository(Project).findOneBy({ id: project.forkedFromProjectId });
        if (source && exceedsVisibility(dto.visibility, source.visibility)) {
          throw new ProjectError('VISIBILITY_ABOVE_FORK_SOURCE', { visibility: dto.visibility });
        }
        changes.visibility = dto.visibility;
      }
      if (dto.default_branch !== undefined) {
        const branch = await tx.query(`SELECT 1 FROM repository_refs WHERE project_id = $1 AND ref_type = 'branch' AND name = $2`, [
          project.id,
          dto.default_branch,
        ]);
        if (!branch.length) throw new ProjectError('DEFAULT_BRANCH_MISSING');
        changes.defaultBranch = dto.default_branch;
      }
      if (dto.path !== undefined) await changeProjectPath(tx, project, dto.path);
      if (dto.name !== undefined) changes.name = dto.name;
      if (dto.description !== undefined) changes.description = dto.description;
      if (dto.build_timeout !== undefined) changes.buildTimeout = dto.build_timeout;
      if (Object.keys(changes).length) await tx.getRepository(Project).update(project.id, changes);
      if (dto.ci_opt_in_jwt !== undefined || dto.ci_id_token_sub_claim_components !== undefined) {
        warnings = await this.ciSettings.updateProject(tx, project.id, {
          optInJwt: dto.ci_opt_in_jwt,
          subClaimComponents: dto.ci_id_token_sub_claim_components,
        });
      }
      return tx.getRepository(Project).findOneByOrFail({ id: project.id });
    });
    return withWarnings(await this.present(updated, caller.user), warnings);
  }

  /** `viewer`: who asks, so a fork's parent is shown only when they may see that project (GitLab). */
  async present(project: Project, viewer: User) {
    return (await this.presentMany([project], viewer))[0];
  }

  /** The projects the caller may see, filtered as GitLab's `ProjectsFinder`; in `scope`'s namespace or forks of its project. */
  async list(caller: Caller, query: ListProjectsQuery, scope: { namespace?: Namespace; forksOf?: Project } = {}) {
    const params: unknown[] = [caller.user.id];
    let where = visibleToSql(caller.user, this.clock.now(), 'n.traversal_ids', 'p.visibility', 1, 'p.id');
    if (scope.namespace) where += ` AND p.namespace_id = $${params.push(scope.namespace.id)}`;
    if (scope.forksOf) where += ` AND p.forked_from_project_id = $${params.push(scope.forksOf.id)}`;
    const filters = projectListSql(query, this.clock.now(), params);
    const from = `FROM projects p JOIN namespaces n ON n.id = p.namespace_id WHERE ${where}${filters.where}`;
    const [{ count }]: { count: string }[] = await this.db.query(`SELECT count(*) ${from}`, params);
    const rows: { id: string }[] = await this.db.query(
      `SELECT p.id ${from} ORDER BY ${filters.order} LIMIT ${query.per_page} OFFSET ${query.offset}`,
      params,
    );
    const ids = rows.map(({ id }) => Number(id));
    const found = ids.length ? await this.db.getRepository(Project).findBy({ id: In(ids) }) : [];
    const byId = new Map(found.map((project) => [project.id, project]));
    return new Page(
      await this.presentMany(
        ids.map((id) => byId.get(id)!),
        caller.user,
      ),
      Number(count),
      query,
    );
  }

  async presentMany(projects: Project[], viewer: User) {
    const parents = await this.visibleParents(projects, viewer);
    const all = [...projects, ...parents.values()];
    const namespaces = all.length
      ? await this.db.getRepository(Namespace).find({ where: [...new Set(all.map((p) => p.namespaceId))].map((id) => ({ id })) })
      : [];
    const byId = new Map(namespaces.map((n) => [n.id, n]));
    const paths = await loadNamespacePaths(this.db.manager, namespaces);
    const settings = await this.ciSettings.forProjects(
      this.db.manager,
      projects.map((project) => project.id),
    );
    return projects.map((project) => {
      const parent = project.forkedFromProjectId === null ? undefined : parents.get(project.forkedFromProjectId);
      const forkedFrom =
        parent && presentProjectBasic(parent, byId.get(parent.namespaceId)!, paths.get(parent.namespaceId)!, this.config.externalUrl);
      return presentProject(
        project,
        byId.get(project.namespaceId)!,
        paths.get(project.namespaceId)!,
        settings.get(project.id)!,
        this.config.externalUrl,
        forkedFrom,
      );
    });
  }

  private async visibleParents(projects: Project[], viewer: User): Promise<Map<number, Project>> {
    const ids = [...new Set(projects.flatMap((project) => (project.forkedFromProjectId === null ? [] : [project.forkedFromProjectId])))];
    const parents = ids.length ? await this.db.getRepository(Project).findBy({ id: In(ids) }) : [];
    const visible = new Map<number, Project>();
    for (const parent of parents) {
      const level = await this.access.levelOnProject(viewer, parent, this.db.manager);
      if (decideAccess({ level, admin: viewer.admin, visibility: parent.visibility, required: AccessLevel.NoAccess }) === 'allow')
        visible.set(parent.id, parent);
    }
    return visible;
  }

  /** The namespace to create in: the given one if the caller may create there, else their personal namespace. */
  async namespaceFor(tx: EntityManager, caller: Caller, namespaceId: number | undefined): Promise<Namespace> {
    const repository = tx.getRepository(Namespace);
    if (namespaceId === undefined) {
      return repository.findOneByOrFail({ type: 'User', ownerId: caller.user.id });
    }
    const namespace = await repository.findOneBy({ id: namespaceId });
    if (!namespace) throw new ProjectError('NAMESPACE_NOT_FOUND');
    if (namespace.type === 'User') {
      if (namespace.ownerId !== caller.user.id && !caller.user.admin) throw new ProjectError('NAMESPACE_NOT_FOUND');
      return namespace;
    }
    const level = await this.access.levelOnGroup(caller.user, namespace, tx);
    if (!caller.user.admin && level < AccessLevel.Guest && namespace.visibility === 'private')
      throw new ProjectError('NAMESPACE_NOT_FOUND');
    if (!caller.user.admin && level < PROJECT_CREATION_LEVEL) throw new ProjectError('PROJECT_CREATION_FORBIDDEN');
    return namespace;
  }
}
