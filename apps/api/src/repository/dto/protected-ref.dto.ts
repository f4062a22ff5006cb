import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PROTECTION_LEVELS, ProtectionLevel } from '@lanyard/git-refs';
import { IsOptionalFlag } from '../../common/dto-transforms';

const LEVEL_MESSAGE = `$property must be one of ${PROTECTION_LEVELS.join(', ')}`;

/** Form posts send booleans as strings. */

export class ProtectBranchDto {
  /** A branch name or a wildcard pattern such as `release/*`. */
  @IsString()
  @Length(1, 255)
  name!: string;

  @IsOptional()
  @Type(() => Number)
  @IsIn(PROTECTION_LEVELS, { message: LEVEL_MESSAGE })
  push_access_level?: ProtectionLevel;

  @IsOptional()
  @Type(() => Number)
  @IsIn(PROTECTION_LEVELS, { message: LEVEL_MESSAGE })
  merge_access_level?: ProtectionLevel;

  @IsOptionalFlag()
  allow_force_push?: boolean;
}

export class ProtectTagDto {
  /** A tag name or a wildcard pattern such as `v*`. */
  @IsString()
  @Length(1, 255)
  name!: string;

  @IsOptional()
  @Type(() => Number)
  @IsIn(PROTECTION_LEVELS, { message: LEVEL_MESSAGE })
  create_access_level?: ProtectionLevel;
}
