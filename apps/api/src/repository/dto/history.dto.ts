import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Length, NotContains } from 'class-validator';
import { PageQuery } from '../../common/pagination';

/** `GET …/repository/commits`: newest first from `ref_name` (default: the default branch), optionally touching `path`. */
export class CommitsQuery extends PageQuery {
  @IsOptional()
  @IsString()
  @Length(1, 255)
  ref_name?: string;

  @IsOptional()
  @IsString()
  @Length(1, 1024)
  @NotContains('\u0000')
  path?: string;
}

/** `GET …/repository/tree`: the entries of `path` (default: the root) at `ref`, all below it with `recursive`. */
export class TreeQuery extends PageQuery {
  @IsOptional()
  @IsString()
  @Length(1, 255)
  ref?: string;

  @IsOptional()
  @IsString()
  @Length(1, 1024)
  @NotContains('\u0000')
  path?: string;

  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  recursive?: boolean;
}
