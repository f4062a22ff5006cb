import { Allow, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsDisplayName, IsNamespacePath } from '../../common/path-rules';
import { VISIBILITIES, Visibility } from '../../common/visibility';

export class UpdateGroupDto {
  @IsOptional()
  @IsDisplayName()
  name?: string;

  /** Renaming the path burns the full path of every project below (reclaimed-path protection). */
  @IsOptional()
  @IsNamespacePath()
  path?: string;

  @IsOptional()
  @IsIn(VISIBILITIES)
  visibility?: Visibility;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  /** The default `sub` components of the projects below that set none; `null` inherits from the parent group. */
  @Allow()
  ci_id_token_sub_claim_components?: unknown;
}
