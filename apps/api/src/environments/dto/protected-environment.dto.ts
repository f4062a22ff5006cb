import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn, IsInt, IsOptional, Max, Min, ValidateBy, ValidateIf } from 'class-validator';
import { DEPLOY_ACCESS_LEVELS, DeployAccessLevel, GROUP_INHERITANCE_TYPES, GroupInheritanceType } from '@lanyard/access';
import { IsObjectList } from '../../common/dto-transforms';
import { IsEnvironmentName } from './environment-name';

const MAX_ID = Number.MAX_SAFE_INTEGER;

/**
 * One entry: a role (`access_level`), a user (`user_id`) or a group (`group_id`, with `group_inheritance_type`).
 * As GitLab's `type`, a user wins over a group and a group over a role when several are given.
 */
export class DeployAccessLevelDto {
  @ValidateIf((entry: DeployAccessLevelDto) => entry.user_id === undefined && entry.group_id === undefined)
  @Type(() => Number)
  @ValidateBy({
    name: 'deployAccessLevel',
    validator: {
      validate: (value: unknown) => (DEPLOY_ACCESS_LEVELS as readonly unknown[]).includes(value),
      defaultMessage: (args) =>
        args?.value === undefined
          ? 'One of the Group ID, User ID or Access Level must be specified.'
          : `must be one of ${DEPLOY_ACCESS_LEVELS.join(', ')}`,
    },
  })
  access_level?: DeployAccessLevel;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  user_id?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  group_id?: number;

  @IsOptional()
  @Type(() => Number)
  @IsIn(GROUP_INHERITANCE_TYPES, { message: `must be one of ${GROUP_INHERITANCE_TYPES.join(', ')}` })
  group_inheritance_type?: GroupInheritanceType;
}

/** `required_approval_count` and `approval_rules` are not implemented and, like any unknown field, dropped. */
export class ProtectEnvironmentDto {
  /** Any name GitLab accepts for an environment; it need not exist yet. */
  @IsEnvironmentName()
  name!: string;

  @IsArray({ message: 'must be an array' })
  @ArrayNotEmpty({ message: "can't be blank" })
  @ArrayMaxSize(100)
  @IsObjectList(() => DeployAccessLevelDto)
  deploy_access_levels!: DeployAccessLevelDto[];
}
