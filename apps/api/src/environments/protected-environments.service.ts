import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError } from '../common/api-error';
import { Page, PageQuery } from '../common/pagination';
import type { Project } from '../projects/project.entity';
import { ProtectEnvironmentDto } from './dto/protected-environment.dto';
import { isValidEnvironmentName } from './environment-rules';
import { recordNotFound } from './environments.service';
import { presentProtectedEnvironment } from './environments.presenter';
import { ProtectedEnvironment } from './protected-environment.entity';

@Injectable()
export class ProtectedEnvironmentsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(project: Project, page: PageQuery) {
    const [rules, total] = await this.db.getRepository(ProtectedEnvironment).findAndCount({
      where: { projectId: project.id },
      // GitLab lists them `sorted_by_name`.
      order: { name: 'ASC', id: 'ASC' },
      skip: page.offset,
      take: page.per_page,
    });
    return new Page(rules.map(presentProtectedEnvironment), total, page);
  }

  async show(project: Project, name: string) {
    return presentProtectedEnvironment(await this.find(project, name));
  }

  /**
   * Stores one role level where GitLab stores every rule given: the highest (most restrictive) of them. GitLab lets
   * anyone matching any rule deploy, so with mixed levels Lanyard is stricter, never looser.
   */
  async protect(project: Project, dto: ProtectEnvironmentDto) {
    const level = Math.max(...dto.deploy_access_levels.map((rule) => rule.access_level));
    const inserted: { id: number }[] = await this.db.query(
      `INSERT INTO protected_environments (project_id, name, deploy_access_level) VALUES ($1, $2, $3)
       ON CONFLICT (project_id, name) DO NOTHING RETURNING id`,
      [project.id, dto.name, level],
    );
    if (!inserted.length) throw ApiError.conflict(`Protected environment '${dto.name}' already exists`);
    return presentProtectedEnvironment(await this.db.getRepository(ProtectedEnvironment).findOneByOrFail({ id: inserted[0].id }));
  }

  async unprotect(project: Project, name: string): Promise<void> {
    await this.db.getRepository(ProtectedEnvironment).delete((await this.find(project, name)).id);
  }

  private async find(project: Project, name: string): Promise<ProtectedEnvironment> {
    // Nothing with an impossible name exists; answering early keeps odd bytes (NUL) away from SQL.
    if (!isValidEnvironmentName(name)) throw recordNotFound();
    const rule = await this.db.getRepository(ProtectedEnvironment).findOneBy({ projectId: project.id, name });
    if (!rule) throw recordNotFound();
    return rule;
  }
}
