import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccessLevel } from '@lanyard/access';
import { DataSource } from 'typeorm';
import { AccessService } from '../auth/access.service';
import { Caller } from '../auth/caller';
import { digestToken, generateSecretToken } from '../auth/secret-token';
import { ApiError } from '../common/api-error';
import { Namespace } from '../namespaces/namespace.entity';
import { Project } from '../projects/project.entity';
import { CreateRunnerDto } from './dto/create-runner.dto';
import { Runner } from './runner.entity';

@Injectable()
export class RunnersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
  ) {}

  /** GitLab's `POST /user/runners`: instance runners by admins, group runners by owners, project runners by maintainers. */
  async create(caller: Caller, dto: CreateRunnerDto) {
    if (dto.gitlab_hosted && !caller.user.admin) throw ApiError.forbidden('only administrators may create gitlab-hosted runners');
    const scope = await this.scopeFor(caller, dto);
    const token = generateSecretToken('glrt');
    const repository = this.db.getRepository(Runner);
    const runner = await repository.save(
      repository.create({
        tokenDigest: digestToken(token),
        runnerType: dto.runner_type,
        namespaceId: scope.namespaceId,
        projectId: scope.projectId,
        description: dto.description ?? '',
        gitlabHosted: dto.gitlab_hosted ?? false,
        active: true,
        creatorId: caller.user.id,
        contactedAt: null,
      }),
    );
    return { id: runner.id, token, token_expires_at: null };
  }

  async verify(token: string) {
    const runner = await this.authenticate(token);
    return { id: runner.id, token, token_expires_at: null };
  }

  /** The active runner owning a token; an unknown or paused runner is 403, as GitLab answers runners. */
  async authenticate(token: string): Promise<Runner> {
    const runner = token.length <= 512 ? await this.db.getRepository(Runner).findOneBy({ tokenDigest: digestToken(token) }) : null;
    if (!runner || !runner.active) throw ApiError.forbidden();
    return runner;
  }

  /** At most once a minute: a write (and WAL flush) on every poll would cost more than the pickup itself. */
  async recordContact(runner: Runner): Promise<void> {
    await this.db.query(
      `UPDATE ci_runners SET contacted_at = now() WHERE id = $1 AND (contacted_at IS NULL OR contacted_at < now() - interval '1 minute')`,
      [runner.id],
    );
  }

  private async scopeFor(caller: Caller, dto: CreateRunnerDto): Promise<{ namespaceId: number | null; projectId: number | null }> {
    if (dto.runner_type === 'instance_type') {
      if (!caller.user.admin) throw ApiError.forbidden('only administrators may create instance runners');
      return { namespaceId: null, projectId: null };
    }
    if (dto.runner_type === 'group_type') {
      const group = await this.db.getRepository(Namespace).findOneBy({ id: dto.group_id!, type: 'Group' });
      if (!group) throw ApiError.notFound('Group');
      const level = await this.access.levelOnGroup(caller.user, group);
      this.access.enforce(caller.user, level, group.visibility, AccessLevel.Owner, 'Group');
      return { namespaceId: group.id, projectId: null };
    }
    const project = await this.db.getRepository(Project).findOneBy({ id: dto.project_id! });
    if (!project) throw ApiError.notFound('Project');
    const level = await this.access.levelOnProject(caller.user, project);
    this.access.enforce(caller.user, level, project.visibility, AccessLevel.Maintainer, 'Project');
    return { namespaceId: null, projectId: project.id };
  }
}
