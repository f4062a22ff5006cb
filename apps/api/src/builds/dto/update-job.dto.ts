import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
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
}
