import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsOptionalNonNull } from '../../common/dto-transforms';
import { IsDisplayName, IsNamespacePath } from '../../common/path-rules';
import { VISIBILITIES, Visibility } from '../../common/visibility';
import { BUILD_TIMEOUT_MAX, BUILD_TIMEOUT_MIN } from '../build-timeout';

export class CreateProjectDto {
  @IsOptional()
  @IsDisplayName()
  name?: string;

  @IsOptional()
  @IsNamespacePath()
  path?: string;

  /** Left out: the caller's personal namespace; null is no namespace and is refused. */
  @IsOptionalNonNull()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  namespace_id?: number;

  @IsOptional()
  @IsIn(VISIBILITIES)
  visibility?: Visibility;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(BUILD_TIMEOUT_MIN)
  @Max(BUILD_TIMEOUT_MAX)
  build_timeout?: number;
}
