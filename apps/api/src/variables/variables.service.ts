import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AccessLevel } from '@lanyard/access';
import { DataSource, EntityManager } from 'typeorm';
import { AccessService } from '../auth/access.service';
import { Page, PageQuery } from '../common/pagination';
import { PG_UNIQUE_VIOLATION, sqlStateOf } from '../database/pg-errors';
import type { User } from '../entities/user.entity';
import { CiVariable } from './ci-variable.entity';
import { CreateVariableDto, UpdateVariableDto, VariableFilterQuery } from './dto/variable.dto';
import { ENVIRONMENT_SCOPE_PATTERN, KEY_PATTERN, isMaskable } from '@lanyard/pipelines';
import { VariableError } from './variable-errors';

/** The project or group whose variables are managed. */
export interface VariableOwner {
  readonly kind: 'project' | 'group';
  readonly id: number;
}

/** Who reads and manages a group's variables (GitLab's rule): its owners, and owners of the groups above it. */
export const GROUP_VARIABLES_ACCESS = AccessLevel.Owner;

export function presentVariable(variable: CiVariable) {
  return {
    variable_type: variable.variableType,
    key: variable.key,
    value: variable.value,
    protected: variable.protected,
    masked: variable.masked,
    raw: variable.raw,
    environment_scope: variable.environmentScope,
    description: variable.description,
  };
}

@Injectable()
export class CiVariablesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AccessService,
  ) {}

  async list(owner: VariableOwner, page: PageQuery) {
    const [variables, total] = await this.db.getRepository(CiVariable).findAndCount({
      where: ownerWhere(owner),
      order: { id: 'ASC' },
      skip: page.offset,
      take: page.per_page,
    });
    return new Page(variables.map(presentVariable), total, page);
  }

  async show(owner: VariableOwner, key: string, query: VariableFilterQuery) {
    return presentVariable(await this.findOne(this.db.manager, owner, key, query, false));
  }

  async create(owner: VariableOwner, dto: CreateVariableDto) {
    const variable = await this.db.transaction(async (tx) => {
      const repository = tx.getRepository(CiVariable);
      const candidate = repository.create({
        ...ownerColumns(owner),
        key: dto.key,
        value: dto.value,
        variableType: dto.variable_type ?? 'env_var',
        protected: dto.protected ?? false,
        masked: dto.masked ?? false,
        raw: dto.raw ?? false,
        environmentScope: dto.environment_scope ?? '*',
        description: dto.description ?? null,
      });
      assertMaskable(candidate);
      await assertKeyFree(tx, owner, candidate);
      return saveUnique(tx, candidate);
    });
    return presentVariable(variable);
  }

  async update(owner: VariableOwner, key: string, query: VariableFilterQuery, dto: UpdateVariableDto) {
    const variable = await this.db.transaction(async (tx) => {
      const existing = await this.findOne(tx, owner, key, query, true);
      const scopeChanged = dto.environment_scope !== undefined && dto.environment_scope !== existing.environmentScope;
      if (dto.value !== undefined) existing.value = dto.value;
      if (dto.variable_type !== undefined) existing.variableType = dto.variable_type;
      if (dto.protected !== undefined) existing.protected = dto.protected;
      if (dto.masked !== undefined) existing.masked = dto.masked;
      if (dto.raw !== undefined) existing.raw = dto.raw;
      if (dto.environment_scope !== undefined) existing.environmentScope = dto.environment_scope;
      if (dto.description !== undefined) existing.description = dto.description;
      assertMaskable(existing);
      if (scopeChanged) await assertKeyFree(tx, owner, existing);
      return saveUnique(tx, existing);
    });
    return presentVariable(variable);
  }

  async remove(owner: VariableOwner, key: string, query: VariableFilterQuery): Promise<void> {
    await this.db.transaction(async (tx) => {
      const existing = await this.findOne(tx, owner, key, query, true);
      await tx.getRepository(CiVariable).delete(existing.id);
    });
  }

  /**
   * The rows among a job's variables that `user` could not read through this API: variables of the groups (above the
   * namespace with `namespaceTraversalIds`) they do not own. Project variables are for the project's maintainers, a
   * level whoever asks must check for themselves.
   */
  async unreadableBy<Row extends { readonly namespaceId: number | null }>(
    db: EntityManager,
    user: User,
    namespaceTraversalIds: readonly number[],
    rows: readonly Row[],
  ): Promise<Row[]> {
    const groupRows = rows.filter((row) => row.namespaceId !== null);
    if (groupRows.length === 0) return [];
    const readable = new Set(await this.access.groupsAtLevel(user, namespaceTraversalIds, GROUP_VARIABLES_ACCESS, db));
    return groupRows.filter((row) => !readable.has(row.namespaceId!));
  }

  /** The one variable with `key` (and the filtered scope); several without a filter is GitLab's 409. */
  private async findOne(db: EntityManager, owner: VariableOwner, key: string, query: VariableFilterQuery, lock: boolean) {
    const scope = query.filter?.environment_scope;
    // Nothing with an impossible key or scope exists; answering early keeps odd bytes (NUL) away from SQL.
    if (!KEY_PATTERN.test(key) || (scope !== undefined && !ENVIRONMENT_SCOPE_PATTERN.test(scope)))
      throw new VariableError('VARIABLE_NOT_FOUND');
    const matches = await db.getRepository(CiVariable).find({
      where: { ...ownerWhere(owner), key, ...(scope === undefined ? {} : { environmentScope: scope }) },
      order: { id: 'ASC' },
      take: 2,
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (matches.length === 0) throw new VariableError('VARIABLE_NOT_FOUND');
    if (matches.length > 1) throw new VariableError('VARIABLE_AMBIGUOUS');
    return matches[0];
  }
}

function ownerWhere(owner: VariableOwner) {
  return owner.kind === 'project' ? { projectId: owner.id } : { namespaceId: owner.id };
}

function ownerColumns(owner: VariableOwner) {
  return owner.kind === 'project' ? { projectId: owner.id, namespaceId: null } : { projectId: null, namespaceId: owner.id };
}

function assertMaskable(variable: CiVariable): void {
  if (variable.masked && !isMaskable(variable.value, variable.raw)) throw new VariableError('VALUE_NOT_MASKABLE');
}

async function assertKeyFree(tx: EntityManager, owner: VariableOwner, variable: CiVariable): Promise<void> {
  const clash = await tx
    .getRepository(CiVariable)
    .existsBy({ ...ownerWhere(owner), key: variable.key, environmentScope: variable.environmentScope });
  if (clash) throw new VariableError('KEY_TAKEN', { key: variable.key });
}

/** The unique index settles a race between two creators of the same key; the loser gets the same 400. */
async function saveUnique(tx: EntityManager, variable: CiVariable): Promise<CiVariable> {
  try {
    return await tx.getRepository(CiVariable).save(variable);
  } catch (error) {
    if (sqlStateOf(error) === PG_UNIQUE_VIOLATION) throw new VariableError('KEY_TAKEN', { key: variable.key });
    throw error;
  }
}
