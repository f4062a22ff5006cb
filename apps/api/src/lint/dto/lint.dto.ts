import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Length, MaxLength } from 'class-validator';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class LintContentDto {
  /** Capped a little above the linter's own 1 MB limit so an oversized config is a lint error, not a 413. */
  @IsString()
  @MaxLength(1_100_000)
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

export class LintRefQuery {
  @IsOptional()
  @IsString()
  @Length(1, 255)
  ref?: string;
}
