import { DeployAccessLevelEntry } from './deploy-access-level.entity';
import { Environment } from './environment.entity';
import { ProtectedEnvironment } from './protected-environment.entity';

export const ENVIRONMENT_ENTITIES = [Environment, ProtectedEnvironment, DeployAccessLevelEntry];
