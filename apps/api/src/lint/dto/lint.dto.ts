import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Length } from 'class-validator';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class LintContentDto {
  /**
   * Not capped here: the body parser's 2 MB limit bounds it, and the linter refuses more than 1 MB cheaply, so any
   * oversized config that reaches us is a lint error (`valid: false`), as in GitLab, not a 400.
   */
  @IsString()
  content!: string;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  dry_run?: boolean;

  @IsOptional()
  @IsString()
  @Length(1, 255)
  ref?: string;

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
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
}
