import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { IsOptionalNonNull } from '../../common/dto-transforms';
import { IsDisplayName, IsNamespacePath } from '../../common/path-rules';
import { VISIBILITIES, Visibility } from '../../common/visibility';

export class CreateGroupDto {
  @IsDisplayName()
  name!: string;

  @IsNamespacePath()
  path!: string;

  /** Left out: a top-level group; null is no group and is refused. */
  @IsOptionalNonNull()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  parent_id?: number;

  @IsOptional()
  @IsIn(VISIBILITIES)
  visibility?: Visibility;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}
