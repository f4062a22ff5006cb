import { Transform } from 'class-transformer';
import { IsArray, IsIn } from 'class-validator';
import { JOB_SCOPES, JobScope } from '@lanyard/pipelines';
import { IsOptionalNonNull } from '../../common/dto-transforms';
import { PageQuery } from '../../common/pagination';

const INVALID = { message: 'scope does not have a valid value' };

/** Grape's coercion of `scope`: one value (`scope=pending`), a list (`scope[]=…`), or a hash's values (`scope[0]=…`). */
function toScopeList({ value }: { value: unknown }): unknown {
  if (typeof value === 'string') return [value];
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return Object.values(value);
  return value;
}

/** GitLab's `scope` of the job lists: the statuses to list (`CommitStatus::AVAILABLE_STATUSES`), every one when absent. */
export class JobScopeQuery extends PageQuery {
  @IsOptionalNonNull()
  @Transform(toScopeList)
  @IsArray(INVALID)
  @IsIn(JOB_SCOPES, { each: true, ...INVALID })
  scope?: JobScope[];
}
