import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { IsOptionalNonNull } from '../../common/dto-transforms';
import { IsDisplayName, IsNamespacePath } from '../../common/path-rules';
import { VISIBILITIES, Visibility } from '../../common/visibility';

/** GitLab's `POST /projects/:id/fork` parameters; a null target namespace is refused, never read as the caller's own. */
export class ForkProjectDto {
  @IsOptionalNonNull()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  namespace_id?: number;

  /** GitLab's deprecated form: the target namespace's id or full path. */
  @IsOptionalNonNull()
  @IsString()
  @MaxLength(2000)
  namespace?: string;

  /** The target namespace's full path. */
  @IsOptionalNonNull()
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
