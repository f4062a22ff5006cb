import { Equals, IsIn, IsISO8601, IsOptional, IsString, MaxLength, NotContains } from 'class-validator';
import { IsOptionalFlag } from '../../common/dto-transforms';
import { PageQuery } from '../../common/pagination';

/** GitLab's `order_by` values for users but `updated_at`: Lanyard keeps no update time for a user. */
export const USER_ORDERS = ['id', 'name', 'username', 'created_at'] as const;
export type UserOrder = (typeof USER_ORDERS)[number];

const INVALID = (name: string) => ({ message: `${name} does not have a valid value` });
/** PostgreSQL text cannot hold NUL: said here, naming the field, rather than by the database. */
const NO_NUL = { message: 'must not contain NUL characters' };
const NOT_KEPT = (what: string) => ({ message: `is not supported: Lanyard keeps no ${what}` });

/**
 * `GET /users`: GitLab's filters (`lib/api/users.rb`, `UsersFinder`), each applied. `admins`, `created_*`, `order_by`
 * and `sort` are checked for everyone but, as GitLab does, applied only for admins. Filters on what Lanyard does not
 * keep (external identities, two-factor, project authorizations) are refused rather than ignored.
 */
export class ListUsersQuery extends PageQuery {
  @IsOptional()
  @IsString()
  @MaxLength(255)
  @NotContains('\u0000', NO_NUL)
  username?: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  @NotContains('\u0000', NO_NUL)
  search?: string;

  @IsOptionalFlag()
  active?: boolean;

  @IsOptionalFlag()
  blocked?: boolean;

  /** Lanyard has no external users: `true` finds nobody. */
  @IsOptionalFlag()
  external?: boolean;

  /** Lanyard has no external users: every user is kept. */
  @IsOptionalFlag()
  exclude_external?: boolean;

  /** Lanyard has no internal users (ghost, bots): every user is kept. */
  @IsOptionalFlag()
  exclude_internal?: boolean;

  /** Lanyard has no project bots: every user is kept. */
  @IsOptionalFlag()
  without_project_bots?: boolean;

  @IsOptionalFlag()
  admins?: boolean;

  @IsOptional()
  @IsISO8601({ strict: true })
  created_after?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  created_before?: string;

  @IsOptional()
  @IsIn(USER_ORDERS, INVALID('order_by'))
  order_by?: UserOrder;

  @IsOptional()
  @IsIn(['asc', 'desc'], INVALID('sort'))
  sort?: 'asc' | 'desc';

  @IsOptional()
  @Equals(undefined, NOT_KEPT('external identities'))
  extern_uid?: string;

  @IsOptional()
  @Equals(undefined, NOT_KEPT('external identities'))
  provider?: string;

  /** `false` is GitLab's default and asks for nothing; `true` would need the project authorizations Lanyard does not keep. */
  @IsOptionalFlag()
  @Equals(false, NOT_KEPT('project authorizations'))
  without_projects?: boolean;

  @IsOptional()
  @Equals(undefined, NOT_KEPT('two-factor settings'))
  two_factor?: string;
}
