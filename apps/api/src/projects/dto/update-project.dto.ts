import { Type } from 'class-transformer';
import { PIPELINE_VARIABLES_MINIMUM_OVERRIDE_ROLES, PipelineVariablesMinimumOverrideRole } from '@lanyard/access';
import { Allow, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsOptionalFlag } from '../../common/dto-transforms';
import { IsDisplayName, IsNamespacePath } from '../../common/path-rules';
import { VISIBILITIES, Visibility } from '../../common/visibility';
import { BUILD_TIMEOUT_MAX, BUILD_TIMEOUT_MIN } from '../build-timeout';

export class UpdateProjectDto {
  @IsOptional()
  @IsDisplayName()
  name?: string;

  /** Renaming the path burns the old full path (reclaimed-path protection). */
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

  @IsOptional()
  @IsString()
  @MaxLength(255)
  default_branch?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(BUILD_TIMEOUT_MIN)
  @Max(BUILD_TIMEOUT_MAX)
  build_timeout?: number;

  /** GitLab's "Limit JSON Web Token (JWT) access": on, jobs get ID tokens only, no legacy CI_JOB_JWT*. */
  @IsOptionalFlag()
  ci_opt_in_jwt?: boolean;

  /** Checked by the ID-token rules (GitLab's messages) when applied; `null` inherits the group's or the default. */
  @Allow()
  ci_id_token_sub_claim_components?: unknown;

  /** Who may pass pipeline variables; only an owner may choose `owner` (checked with the caller's role). */
  @IsOptional()
  @IsIn(PIPELINE_VARIABLES_MINIMUM_OVERRIDE_ROLES, { message: 'does not have a valid value' })
  ci_pipeline_variables_minimum_override_role?: PipelineVariablesMinimumOverrideRole;
}
