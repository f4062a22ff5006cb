import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { IsOptionalFlag } from '../../common/dto-transforms';
import { PageQuery } from '../../common/pagination';

/** GitLab's `sort` values for tokens. */
export const TOKEN_SORTS = [
  'created_asc',
  'created_desc',
  'expires_asc',
  'expires_desc',
  'last_used_asc',
  'last_used_desc',
  'name_asc',
  'name_desc',
] as const;
export type TokenSort = (typeof TOKEN_SORTS)[number];

/** `GET /personal_access_tokens`: GitLab's filters (`access_token_params`), each applied. */
export class ListPersonalAccessTokensQuery extends PageQuery {
  /** Admins only: that user's tokens; anyone else may name only themself. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  user_id?: number;

  @IsOptionalFlag()
  revoked?: boolean;

  @IsOptional()
  @IsIn(['active', 'inactive'])
  state?: 'active' | 'inactive';

  @IsOptional()
  @IsISO8601({ strict: true })
  created_before?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  created_after?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  expires_before?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  expires_after?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  last_used_before?: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  last_used_after?: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  search?: string;

  @IsOptional()
  @IsIn(TOKEN_SORTS)
  sort?: TokenSort;
}

/** `POST /personal_access_tokens/:id/rotate` and `…/self/rotate`. */
export class RotatePersonalAccessTokenDto {
  @IsOptional()
  @IsISO8601({ strict: true })
  expires_at?: string;
}
