import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, MaxLength, Min, ValidateIf } from 'class-validator';
import { RUNNER_TYPES, RunnerType } from '../runner.entity';

export class CreateRunnerDto {
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

  @IsOptional()
  @IsString()
  @MaxLength(1024)
  description?: string;

  /** Admin only: marks the runner as operated by this instance (`runner_environment: gitlab-hosted`). */
  @IsOptional()
  @IsBoolean()
  gitlab_hosted?: boolean;
}

export class VerifyRunnerDto {
  @IsString()
  @MaxLength(512)
  token!: string;
}
