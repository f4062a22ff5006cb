import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { checkClaimName } from '@lanyard/ci-config';
import { DataSource } from 'typeorm';
import type { Caller } from '../auth/caller';
import { CLOCK, type Clock } from '../clock/clock';
import { Page, PageQuery } from '../common/pagination';
import { Namespace } from '../entities/namespace.entity';
import { namespaceFullPathSql } from '../database/sql-fragments';
import { RegisterClaimNameDto } from './dto/claim-name.dto';
import { ClaimSettingsError } from './claim-settings-errors';

interface ClaimNameRow {
  name: string;
  namespace_id: string | null;
  namespace_full_path: string | null;
  created_at: Date;
  created_by_id: string | null;
  created_by_username: string | null;
}

const SELECT_NAMES = `
  SELECT cn.name, cn.namespace_id, ${namespaceFullPathSql('o')} AS namespace_full_path, cn.created_at,
         u.id AS created_by_id, u.username AS created_by_username
    FROM ci_id_token_claim_names cn
    LEFT JOIN namespaces o ON o.id = cn.namespace_id
    LEFT JOIN users u ON u.id = cn.created_by_id`;

/** `GET/POST/DELETE /admin/ci/id_token_claim_names`. */
@Injectable()
export class ClaimNamesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(page: PageQuery) {
    const rows: ClaimNameRow[] = await this.db.query(`${SELECT_NAMES} ORDER BY cn.name OFFSET $1 LIMIT $2`, [page.offset, page.per_page]);
    const [{ count }]: { count: number }[] = await this.db.query('SELECT count(*)::int AS count FROM ci_id_token_claim_names');
    return new Page(rows.map(present), count, page);
  }

  /** A name for one top-level group's tree, or (no `namespace_id`) open to all; a name is registered once. */
  async register(caller: Caller, dto: RegisterClaimNameDto) {
    const problem = checkClaimName(dto.name);
    if (problem === 'reserved') throw new ClaimSettingsError('CLAIM_NAME_RESERVED', { name: dto.name });
    if (problem) throw new ClaimSettingsError('CLAIM_NAME_INVALID');
    const ownerId = dto.namespace_id ?? null;
    if (ownerId !== null) {
      const owner = await this.db.getRepository(Namespace).findOneBy({ id: ownerId });
      if (!owner) throw new ClaimSettingsError('CLAIM_NAME_OWNER_NOT_FOUND');
      if (owner.type !== 'Group' || owner.parentId !== null) throw new ClaimSettingsError('CLAIM_NAME_OWNER_NOT_TOP_LEVEL');
    }
    const inserted: unknown[] = await this.db.query(
      'INSERT INTO ci_id_token_claim_names (name, namespace_id, created_by_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING RETURNING name',
      [dto.name, ownerId, caller.user.id, this.clock.now()],
    );
    if (inserted.length === 0) throw new ClaimSettingsError('CLAIM_NAME_TAKEN', { name: dto.name });
    const [row]: ClaimNameRow[] = await this.db.query(`${SELECT_NAMES} WHERE cn.name = $1`, [dto.name]);
    return present(row);
  }

  async remove(name: string): Promise<void> {
    const [, deleted]: [unknown, number] = await this.db.query('DELETE FROM ci_id_token_claim_names WHERE name = $1', [name]);
    if (deleted === 0) throw new ClaimSettingsError('CLAIM_NAME_NOT_FOUND');
  }
}

function present(row: ClaimNameRow) {
  return {
    name: row.name,
    namespace_id: row.namespace_id === null ? null : Number(row.namespace_id),
    namespace_full_path: row.namespace_full_path,
    created_at: row.created_at,
    created_by: row.created_by_id === null ? null : { id: Number(row.created_by_id), username: row.created_by_username },
  };
}
