import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Page, PageQuery } from '../common/pagination';
import { Project } from '../entities/project.entity';

interface IssuanceRow {
  jti: string;
  build_id: number;
  variable: string;
  aud: string | string[] | null;
  sub: string;
  kid: string;
  iat: number;
  exp: number;
  superseded_at: Date | null;
  superseded_reason: 'retried' | 'canceled' | 'deleted' | null;
  superseded_by_job_id: string | null;
}

/**
 * The audit log of minted tokens: who got which audience and subject, signed by which key — never the token — and
 * which were superseded, their job canceled or retried.
 */
@Injectable()
export class IssuancesService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(project: Project, page: PageQuery) {
    const [{ count }]: { count: number }[] = await this.db.query('SELECT count(*) FROM ci_id_token_issuances WHERE project_id = $1', [
      project.id,
    ]);
    const rows: IssuanceRow[] = await this.db.query(
      `SELECT jti, build_id, variable, aud, sub, kid, iat, exp, superseded_at, superseded_reason, superseded_by_job_id FROM ci_id_token_issuances
        WHERE project_id = $1 ORDER BY iat DESC, build_id DESC, variable LIMIT $2 OFFSET $3`,
      [project.id, page.per_page, page.offset],
    );
    return new Page(
      rows.map((row) => ({
        jti: row.jti,
        job_id: row.build_id,
        variable: row.variable,
        aud: row.aud,
        sub: row.sub,
        kid: row.kid,
        iat: row.iat,
        exp: row.exp,
        // Its job was canceled or retried (by which job): the token stays valid where it went until `exp`.
        superseded_at: row.superseded_at?.toISOString() ?? null,
        superseded_reason: row.superseded_reason,
        superseded_by_job_id: row.superseded_by_job_id === null ? null : Number(row.superseded_by_job_id),
      })),
      count,
      page,
    );
  }
}
