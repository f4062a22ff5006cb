import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '../auth/caller';
import { CLOCK, type Clock } from '../clock/clock';
import { Page } from '../common/pagination';
import { ReclaimedPathsQuery, ReleaseReclaimedPathDto } from './dto/release-reclaimed-path.dto';
import { Project } from '../entities/project.entity';
import { ProjectError } from './project-errors';

interface BurnedRouteRow {
  id: string;
  path: string;
  project_id: string;
  burned_at: Date;
  releases: { project_id: number; released_at: string; released_by_id: number | null; released_by_username: string | null }[];
}

/**
 * `GET /admin/ci/reclaimed_paths` and `POST …/release`: while `block_jwt_for_reclaimed_paths` is on, a project on a
 * path another project gave up mints no token until an admin releases that path for it. A release covers the
 * give-ups recorded so far; one recorded later blocks the path again.
 */
@Injectable()
export class ReclaimedPathsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async list(query: ReclaimedPathsQuery) {
    const pattern = query.search === undefined ? null : `%${query.search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    const where = '$1::text IS NULL OR b.path ILIKE $1';
    const rows: BurnedRouteRow[] = await this.db.query(
      `SELECT b.id, b.path, b.project_id, b.burned_at,
              (SELECT coalesce(json_agg(json_build_object('project_id', r.project_id, 'released_at', r.released_at,
                                                          'released_by_id', u.id, 'released_by_username', u.username) ORDER BY r.released_at), '[]')
                 FROM reclaimed_path_releases r LEFT JOIN users u ON u.id = r.released_by_id WHERE r.burned_route_id = b.id) AS releases
         FROM burned_routes b WHERE ${where} ORDER BY b.id OFFSET $2 LIMIT $3`,
      [pattern, query.offset, query.per_page],
    );
    const [{ count }]: { count: number }[] = await this.db.query(`SELECT count(*)::int AS count FROM burned_routes b WHERE ${where}`, [
      pattern,
    ]);
    return new Page(rows.map(presentBurnedRoute), count, query);
  }

  /** Releases `path` for the project: each give-up of it by another project, recorded so far, stops blocking it. */
  release(caller: Caller, dto: ReleaseReclaimedPathDto) {
    return this.db.transaction(async (tx) => {
      const project = await tx.getRepository(Project).findOneBy({ id: dto.project_id });
      if (!project) throw new ProjectError('PROJECT_NOT_FOUND');
      const releasedAt = this.clock.now();
      const covered: { path: string; project_id: string }[] = await tx.query(
        `WITH given_up AS (
           SELECT id, path, project_id FROM burned_routes WHERE lower(path) = lower($1) AND project_id <> $2 FOR KEY SHARE
         ), released AS (
           INSERT INTO reclaimed_path_releases (burned_route_id, project_id, released_by_id, released_at)
           SELECT id, $2, $3, $4 FROM given_up ON CONFLICT DO NOTHING
         )
         SELECT path, project_id FROM given_up ORDER BY id`,
        [dto.path, project.id, caller.user.id, releasedAt],
      );
      if (covered.length === 0) throw new ProjectError('RECLAIMED_PATH_NOT_FOUND');
      return {
        path: covered[0].path,
        project_id: project.id,
        released_by: { id: caller.user.id, username: caller.user.username },
        released_at: releasedAt,
        given_up_by: covered.map((row) => Number(row.project_id)),
      };
    });
  }
}

function presentBurnedRoute(row: BurnedRouteRow) {
  return {
    id: Number(row.id),
    path: row.path,
    project_id: Number(row.project_id),
    burned_at: row.burned_at,
    releases: row.releases.map((release) => ({
      project_id: Number(release.project_id),
      released_at: release.released_at,
      released_by: release.released_by_id === null ? null : { id: release.released_by_id, username: release.released_by_username },
    })),
  };
}
