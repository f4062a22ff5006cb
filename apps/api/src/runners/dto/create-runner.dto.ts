import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { RUNNER_TYPES, RunnerType } from '../runner.entity';

/** GitLab's `Ci::Runner` validation: seconds, at least 10 minutes; null is no cap. */
export const RUNNER_MAXIMUM_TIMEOUT_MIN = 600;
const INTEGER_MAX = 2_147_483_647;
/** GitLab's `Ci::Runner` tag limit (`TAG_LIST_MAX_LENGTH`) and `Ci::Tag` name length. */
export const RUNNER_TAGS_MAX = 50;
const TAG_NAME_MAX_LENGTH = 255;

/**
 * GitLab's `tag_list` parameter (`type: Array[String], coerce_with: ::API::Validations::Types::CommaSeparatedToArray`):
 * an array, or one comma-separated string; names are trimmed, blank ones dropped, duplicates kept once.
 */
export function toTagList({ value }: { value: unknown }): unknown {
  const names = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) return names;
  return [...new Set(names.map((name) => name.trim()).filter((name) => name !== ''))];
}

/** The runner attributes `POST /user/runners` and `PUT /runners/:id` share. */
export class RunnerAttributesDto {
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  description?: string;

  /** Caps the timeout of every job the runner takes; null removes the cap. */
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be an integer' })
  @Min(RUNNER_MAXIMUM_TIMEOUT_MIN, { message: 'needs to be at least 10 minutes' })
  @Max(INTEGER_MAX, { message: 'is too big' })
  maximum_timeout?: number | null;

  /** The tags a job may require of this runner; its jobs' tags must all be among them. */
  @IsOptional()
  @Transform(toTagList)
  @IsArray({ message: 'tag_list is invalid' })
  @IsString({ each: true, message: 'tag_list is invalid' })
  @MaxLength(TAG_NAME_MAX_LENGTH, { each: true })
  @ArrayMaxSize(RUNNER_TAGS_MAX, { message: `Too many tags specified. Please limit the number of tags to ${RUNNER_TAGS_MAX}` })
  tag_list?: string[];

  /** Whether the runner takes jobs without tags (GitLab's default: true). */
  @IsOptional()
  @IsBoolean()
  run_untagged?: boolean;
}

export class CreateRunnerDto extends RunnerAttributesDto {
  @IsIn(RUNNER_TYPES)
  runner_type!: RunnerType;

  @ValidateIf((dto: CreateRunnerDto) => dto.runner_type === 'group_type' || dto.group_id !== undefined)
  @Type(() => Number)
  @IsInt({ message: 'group_id is required for a group_type runner and must be an integer' })
  @Min(1)
  group_id?: number;

  @ValidateIf((dto: CreateRunnerDto) => dto.runner_type === 'project_type' || dto.project_id !== undefined)
  @Type(() => Number)
  @IsInt({ message: 'project_id is required for a project_type runner and must be an integer' })
  @Min(1)
  project_id?: number;

  /** Admin only: marks the runner as operated by this instance (`runner_environment: gitlab-hosted`). */
  @IsOptional()
  @IsBoolean()
  gitlab_hosted?: boolean;
}

export class UpdateRunnerDto extends RunnerAttributesDto {
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  /** GitLab's newer name for `!active`; wins when both are given. */
  @IsOptional()
  @IsBoolean()
  paused?: boolean;

  /** GitLab's `locked`: the runner may not be assigned to other projects. */
  @IsOptional()
  @IsBoolean()
  locked?: boolean;
}

export class VerifyRunnerDto {
  @IsString()
  @MaxLength(512)
  token!: string;
}

/** `DELETE /runners/managers`: the runner's token and the host (`system_id`) that leaves, as gitlab-runner sends them. */
export class UnregisterRunnerManagerDto extends VerifyRunnerDto {
  @IsString()
  @MaxLength(64)
  system_id!: string;
}
