import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ProjectCiSettings } from './project-ci-settings.entity';

/** New projects opt in to ID tokens only: the legacy `CI_JOB_JWT*` variables are off unless a maintainer turns them on. */
export const OPT_IN_JWT_DEFAULT = true;

@Injectable()
export class CiSettingsService {
  async optInJwt(db: EntityManager, projectId: number): Promise<boolean> {
    const settings = await db.getRepository(ProjectCiSettings).findOneBy({ projectId });
    return settings?.optInJwt ?? OPT_IN_JWT_DEFAULT;
  }
}
