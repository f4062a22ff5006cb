import { Type } from 'class-transformer';
import { ArrayNotEmpty, IsArray, IsIn, ValidateNested } from 'class-validator';
import { DEPLOY_ACCESS_LEVELS, DeployAccessLevel } from '../environment-rules';
import { IsEnvironmentName } from './environment-name';

/** A role rule; GitLab's `user_id`/`group_id` rules are not implemented, so such an entry lacks `access_level`. */
export class DeployAccessLevelDto {
  @Type(() => Number)
  @IsIn(DEPLOY_ACCESS_LEVELS, { message: `must be one of ${DEPLOY_ACCESS_LEVELS.join(', ')}` })
  access_level!: DeployAccessLevel;
}

/** `required_approval_count` and `approval_rules` are not implemented and, like any unknown field, dropped. */
export class ProtectEnvironmentDto {
  /** Any name GitLab accepts for an environment; it need not exist yet. */
  @IsEnvironmentName()
  name!: string;

  @IsArray({ message: 'must be an array' })
  @ArrayNotEmpty({ message: "can't be blank" })
  @ValidateNested({ each: true })
  @Type(() => DeployAccessLevelDto)
  deploy_access_levels!: DeployAccessLevelDto[];
}
