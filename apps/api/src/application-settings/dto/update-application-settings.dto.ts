import { IsOptionalFlag } from '../../common/dto-transforms';

export class UpdateApplicationSettingsDto {
  /** Turning it off lets projects on reclaimed paths mint path-led `sub`s again: an admin's explicit choice. */
  @IsOptionalFlag()
  block_jwt_for_reclaimed_paths?: boolean;
}
