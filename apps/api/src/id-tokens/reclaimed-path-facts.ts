import { Injectable } from '@nestjs/common';
import type { JobIdentity, ReclaimedPathFacts } from '@lanyard/id-tokens';
import { EntityManager } from 'typeorm';
import { ApplicationSettingsService } from '../application-settings/application-settings.service';
import { isReclaimedPath } from '../projects/burned-routes';

/** What `assertSubNotOnReclaimedPath` decides on, read at mint time from the paths the job's tokens will name. */
@Injectable()
export class ReclaimedPathFactsLoader {
  constructor(private readonly settings: ApplicationSettingsService) {}

  async load(tx: EntityManager, identity: JobIdentity): Promise<ReclaimedPathFacts> {
    const { blockJwtForReclaimedPaths } = await this.settings.current(tx);
    const reclaimed = (project: JobIdentity['sourceProject']) => isReclaimedPath(tx, { path: project.fullPath, projectId: project.id });
    return {
      blockJwtForReclaimedPaths,
      reclaimed: { project_path: await reclaimed(identity.sourceProject), job_project_path: await reclaimed(identity.jobProject) },
    };
  }
}
