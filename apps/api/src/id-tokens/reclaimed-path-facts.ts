import { Injectable } from '@nestjs/common';
import type { JobIdentity, ReclaimedPathFacts } from '@lanyard/id-tokens';
import { EntityManager } from 'typeorm';
import { reclaimedPathSql } from '../projects/burned-routes';

/**
 * What `assertSubNotOnReclaimedPath` decides on, read at mint time from the paths the job's tokens will name: the
 * instance setting and both paths in one round trip (the pickup's hot path).
 */
@Injectable()
export class ReclaimedPathFactsLoader {
  async load(tx: EntityManager, identity: JobIdentity): Promise<ReclaimedPathFacts> {
    const { sourceProject, jobProject } = identity;
    const [row]: { block_jwt_for_reclaimed_paths: boolean; project_path: boolean; job_project_path: boolean }[] = await tx.query(
      `SELECT block_jwt_for_reclaimed_paths, ${reclaimedPathSql('$1', '$2')} AS project_path, ${reclaimedPathSql('$3', '$4')} AS job_project_path
         FROM application_settings WHERE id = 1`,
      [sourceProject.fullPath, sourceProject.id, jobProject.fullPath, jobProject.id],
    );
    return {
      blockJwtForReclaimedPaths: row.block_jwt_for_reclaimed_paths,
      reclaimed: { project_path: row.project_path, job_project_path: row.job_project_path },
    };
  }
}
