import { IsIn, IsOptional, IsString } from 'class-validator';
import type { Tier } from '@lanyard/pipelines';
import { PageQuery } from '../../common/pagination';
import { ENVIRONMENT_TIERS } from '../environment-rules';
import { IsEnvironmentName } from './environment-name';

export class CreateEnvironmentDto {
  @IsEnvironmentName()
  name!: string;

  /** Guessed from the name when absent, as GitLab does. */
  @IsOptional()
  @IsIn(ENVIRONMENT_TIERS, { message: `must be one of ${ENVIRONMENT_TIERS.join(', ')}` })
  tier?: Tier;
}

export class EnvironmentListQuery extends PageQuery {
  /** Only the environment with exactly this name. */
  @IsOptional()
  @IsString()
  name?: string;
}
