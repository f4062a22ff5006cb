import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsDisplayName } from '../../common/path-rules';
import { VISIBILITIES, Visibility } from '../../common/visibility';

export class UpdateGroupDto {
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
