import { IsOptional, IsString, Length } from 'class-validator';
import { IsOptionalFlag } from '../../common/dto-transforms';

export class LintContentDto {
  /**
   * Not capped here: the body parser's 2 MB limit bounds it, and the linter refuses more than 1 MB cheaply, so any
   * oversized config that reaches us is a lint error (`valid: false`), as in GitLab, not a 400.
   */
  @IsString()
  content!: string;

  @IsOptionalFlag()
  dry_run?: boolean;

  @IsOptional()
  @IsString()
  @Length(1, 255)
  ref?: string;

  @IsOptionalFlag()
  include_jobs?: boolean;
}

/** Where the config is read: GitLab's `content_ref` (or its older `sha`), else `ref`, else the default branch. */
export class LintRefQuery {
  @IsOptional()
  @IsString()
  @Length(1, 255)
  content_ref?: string;

  @IsOptional()
  @IsString()
  @Length(1, 255)
  sha?: string;

  @IsOptional()
  @IsString()
  @Length(1, 255)
  ref?: string;

  @IsOptionalFlag()
  include_jobs?: boolean;

  @IsOptionalFlag()
  dry_run?: boolean;

  @IsOptional()
  @IsString()
  @Length(1, 255)
  dry_run_ref?: string;
}
