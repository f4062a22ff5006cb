import { IsIn, IsOptional, IsString } from 'class-validator';
import { DEPLOYMENT_TIERS, type DeploymentTier } from '@lanyard/ci-config';
import { PageQuery } from '../../common/pagination';
import { IsEnvironmentName } from './environment-name';

export class CreateEnvironmentDto {
  @IsEnvironmentName()
  name!: string;

  /** Guessed from the name when absent, as GitLab does. */
  @IsOptional()
  @IsIn(DEPLOYMENT_TIERS, { message: `must be one of ${DEPLOYMENT_TIERS.join(', ')}` })
  tier?: DeploymentTier;
}

export class EnvironmentListQuery extends PageQuery {
  /** Only the environment with exactly this name. */
  @IsOptional()
  @IsString()
  name?: string;
}
