import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';
import { PageQuery } from '../../common/pagination';

export class ReleaseReclaimedPathDto {
  /** A full path some other project gave up (`acme/platform/app`), matched without case as paths are. */
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  path!: string;

  /** The project that may mint on it again. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  project_id!: number;
}

export class ReclaimedPathsQuery extends PageQuery {
  /** Paths containing this text, without case. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  search?: string;
}
