import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DEFAULT_PROTECTION_LEVEL, isValidRefPattern } from '@lanyard/git-refs';
import { DataSource } from 'typeorm';
import { Page, PageQuery } from '../common/pagination';
import type { Project } from '../entities/project.entity';
import { ProtectBranchDto, ProtectTagDto } from './dto/protected-ref.dto';
import { ProtectedRef } from './protected-ref.entity';
import { RepositoryError } from './repository-errors';
import type { RefType } from './repository-ref.entity';
import { presentProtectedBranch, presentProtectedTag } from './repository.presenter';

/** Protection rules for branches and tags: one table, the same rules, two GitLab shapes. */
@Injectable()
export class ProtectedRefsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(project: Project, refType: RefType, page: PageQuery) {
    const [rules, total] = await this.db.getRepository(ProtectedRef).findAndCount({
      where: { projectId: project.id, refType },
      order: { id: 'ASC' },
      skip: page.offset,
      take: page.per_page,
    });
    return new Page(
      rules.map((rule) => present(rule)),
      total,
      page,
    );
  }

  async show(project: Project, refType: RefType, name: string) {
    return present(await this.find(project, refType, name));
  }

  protectBranch(project: Project, dto: ProtectBranchDto) {
    return this.protect(project, 'branch', dto.name, {
      pushAccessLevel: dto.push_access_level ?? DEFAULT_PROTECTION_LEVEL,
      mergeAccessLevel: dto.merge_access_level ?? DEFAULT_PROTECTION_LEVEL,
      allowForcePush: dto.allow_force_push ?? false,
    });
  }

  protectTag(project: Project, dto: ProtectTagDto) {
    const level = dto.create_access_level ?? DEFAULT_PROTECTION_LEVEL;
    return this.protect(project, 'tag', dto.name, { pushAccessLevel: level, mergeAccessLevel: level, allowForcePush: false });
  }

  async unprotect(project: Project, refType: RefType, name: string): Promise<void> {
    await this.db.getRepository(ProtectedRef).delete((await this.find(project, refType, name)).id);
  }

  private async protect(
    project: Project,
    refType: RefType,
    name: string,
    levels: Pick<ProtectedRef, 'pushAccessLevel' | 'mergeAccessLevel' | 'allowForcePush'>,
  ) {
    if (!isValidRefPattern(name)) throw new RepositoryError('PROTECTED_REF_PATTERN_INVALID');
    const inserted: { id: number }[] = await this.db.query(
      `INSERT INTO protected_refs (project_id, name, ref_type, push_access_level, merge_access_level, allow_force_push)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (project_id, ref_type, name) DO NOTHING RETURNING id`,
      [project.id, name, refType, levels.pushAccessLevel, levels.mergeAccessLevel, levels.allowForcePush],
    );
    if (!inserted.length) throw new RepositoryError('PROTECTED_REF_EXISTS', { refType, name });
    return present(await this.db.getRepository(ProtectedRef).findOneByOrFail({ id: inserted[0].id }));
  }

  private async find(project: Project, refType: RefType, name: string): Promise<ProtectedRef> {
    const rule = await this.db.getRepository(ProtectedRef).findOneBy({ projectId: project.id, refType, name });
    if (!rule) throw new RepositoryError('PROTECTED_REF_NOT_FOUND', { refType });
    return rule;
  }
}

function present(rule: ProtectedRef) {
  return rule.refType === 'branch' ? presentProtectedBranch(rule) : presentProtectedTag(rule);
}
