import { Transform } from 'class-transformer';
import { ArrayMaxSize, Equals, IsArray, IsBoolean, IsIn, IsOptional, IsString } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { RUNNER_TYPES, RunnerType } from '../runner.entity';
import { RUNNER_TAGS_MAX, toTagList } from './create-runner.dto';

/** GitLab's `Ci::Runner::AVAILABLE_STATUSES` (and the deprecated `active`/`paused` scopes). */
export const RUNNER_STATUSES = ['active', 'paused', 'online', 'offline', 'never_contacted', 'stale'] as const;
export type RunnerStatusFilter = (typeof RUNNER_STATUSES)[number];
/** `GET /runners/all` also takes the legacy type scopes (`Ci::Runner::AVAILABLE_TYPES_LEGACY`). */
export const LEGACY_TYPE_SCOPES = ['specific', 'shared'] as const;
export type RunnerScopeFilter = RunnerStatusFilter | (typeof LEGACY_TYPE_SCOPES)[number];

/** Grape's `Boolean` parameter: true/false in any case, 1/0 (a query string carries only text). */
function toBoolean({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  const text = value.toLowerCase();
  return text === 'true' || text === '1' ? true : text === 'false' || text === '0' ? false : value;
}

const INVALID = (name: string) => ({ message: `${name} does not have a valid value` });

/** The filters every runner list takes. */
class RunnerFilters extends PageQuery {
  @IsOptional()
  @IsIn(RUNNER_TYPES, INVALID('type'))
  type?: RunnerType;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean(INVALID('paused'))
  paused?: boolean;

  @IsOptional()
  @IsIn(RUNNER_STATUSES, INVALID('status'))
  status?: RunnerStatusFilter;

  /** Runners having every one of these tags. */
  @IsOptional()
  @Transform(toTagList)
  @IsArray(INVALID('tag_list'))
  @IsString({ each: true, ...INVALID('tag_list') })
  @ArrayMaxSize(RUNNER_TAGS_MAX, INVALID('tag_list'))
  tag_list?: string[];

  /** GitLab's `version_prefix`: Lanyard keeps no runner versions, so the filter is refused rather than ignored. */
  @IsOptional()
  @Equals(undefined, { message: 'is not supported: runner versions are not kept' })
  version_prefix?: string;
}

/** GitLab's filters of `GET /runners`, `/projects/:id/runners` and `/groups/:id/runners`. */
export class ListRunnersQuery extends RunnerFilters {
  @IsOptional()
  @IsIn(RUNNER_STATUSES, INVALID('scope'))
  scope?: RunnerScopeFilter;
}

/** `GET /runners/all` (admins): the scopes above and the legacy `specific`/`shared`. */
export class ListAllRunnersQuery extends RunnerFilters {
  @IsOptional()
  @IsIn([...RUNNER_STATUSES, ...LEGACY_TYPE_SCOPES], INVALID('scope'))
  scope?: RunnerScopeFilter;
}
