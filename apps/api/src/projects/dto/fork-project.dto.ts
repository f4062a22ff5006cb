import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { IsDisplayName, IsNamespacePath } from '../../common/path-rules';
import { VISIBILITIES, Visibility } from '../../common/visibility';

/** GitLab's `POST /projects/:id/fork` parameters. */
export class ForkProjectDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  namespace_id?: number;

  /** GitLab's deprecated form: the target namespace's id or full path. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  namespace?: string;

  /** The target namespace's full path. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  namespace_path?: string;

  @IsOptional()
  @IsNamespacePath()
  path?: string;

  @IsOptional()
  @IsDisplayName()
  name?: string;

  @IsOptional()
  @IsIn(VISIBILITIES)
  visibility?: Visibility;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}
