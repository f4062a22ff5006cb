import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { RUNNER_FAILURE_REASONS } from '@lanyard/pipelines';

export const JOB_UPDATE_STATES = ['running', 'success', 'failed'] as const;

export class UpdateJobDto {
  /** The job token (CI_JOB_TOKEN) the runner received with the job. */
  @IsString()
  @MaxLength(512)
  token!: string;

  @IsOptional()
  @IsIn(JOB_UPDATE_STATES)
  state?: (typeof JOB_UPDATE_STATES)[number];

  @IsOptional()
  @IsIn(RUNNER_FAILURE_REASONS)
  failure_reason?: (typeof RUNNER_FAILURE_REASONS)[number];

  /** The script's exit code, which `allow_failure:exit_codes` and `retry:exit_codes` are compared with. */
  @IsOptional()
  @IsInt()
  @Min(-2147483648)
  @Max(2147483647)
  exit_code?: number;
}
