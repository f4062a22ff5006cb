import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, MaxLength, Min, NotContains } from 'class-validator';
import { IsOptionalNonNull } from '../../common/dto-transforms';
import { PageQuery } from '../../common/pagination';

/** GitLab's `POST /projects/:id/merge_requests`: `:id` is the source project. */
export class CreateMergeRequestDto {
  @IsString()
  @Length(1, 255)
  @NotContains('\u0000')
  source_branch!: string;

  @IsString()
  @Length(1, 255)
  @NotContains('\u0000')
  target_branch!: string;

  @IsString()
  @Length(1, 255)
  @NotContains('\u0000')
  title!: string;

  @IsOptional()
  @IsString()
  @MaxLength(1_048_576)
  @NotContains('\u0000')
  description?: string;

  /** The project the merge request goes to: the source project itself (left out) or the project it was forked from. */
  @IsOptionalNonNull()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  target_project_id?: number;
}

export const STATE_EVENTS = ['close', 'reopen'] as const;

export class UpdateMergeRequestDto {
  @IsOptional()
  @IsIn(STATE_EVENTS)
  state_event?: (typeof STATE_EVENTS)[number];

  @IsOptional()
  @IsString()
  @Length(1, 255)
  @NotContains('\u0000')
  title?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1_048_576)
  @NotContains('\u0000')
  description?: string;
}

export const MERGE_REQUEST_STATE_FILTERS = ['opened', 'closed', 'merged', 'locked', 'all'] as const;

export class ListMergeRequestsQuery extends PageQuery {
  @IsOptional()
  @IsIn(MERGE_REQUEST_STATE_FILTERS)
  state?: (typeof MERGE_REQUEST_STATE_FILTERS)[number];

  @IsOptional()
  @IsString()
  @MaxLength(255)
  source_branch?: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  target_branch?: string;
}
