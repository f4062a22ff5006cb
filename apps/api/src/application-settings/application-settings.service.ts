import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { UpdateApplicationSettingsDto } from './dto/update-application-settings.dto';

/** The instance's settings (GitLab's `application_settings`): only those Lanyard implements. */
export interface ApplicationSettings {
  /** GitLab 19.1: refuse path-led `sub`s for projects on a path another project gave up. On by default. */
  readonly blockJwtForReclaimedPaths: boolean;
}

@Injectable()
export class ApplicationSettingsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Read where they apply (at pickup, in its transaction), so a change reaches jobs already waiting. */
  async current(db: EntityManager): Promise<ApplicationSettings> {
    const [row]: { block_jwt_for_reclaimed_paths: boolean }[] = await db.query(
      'SELECT block_jwt_for_reclaimed_paths FROM application_settings WHERE id = 1',
    );
    return { blockJwtForReclaimedPaths: row.block_jwt_for_reclaimed_paths };
  }

  async show() {
    return present(await this.current(this.db.manager));
  }

  async update(dto: UpdateApplicationSettingsDto) {
    if (dto.block_jwt_for_reclaimed_paths !== undefined) {
      await this.db.query('UPDATE application_settings SET block_jwt_for_reclaimed_paths = $1 WHERE id = 1', [
        dto.block_jwt_for_reclaimed_paths,
      ]);
    }
    return this.show();
  }
}

function present(settings: ApplicationSettings) {
  return { block_jwt_for_reclaimed_paths: settings.blockJwtForReclaimedPaths };
}
