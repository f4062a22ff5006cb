import { SigningKey } from './id-tokens/signing-key.entity';
import { ENVIRONMENT_ENTITIES } from './environments/environment-entities';
import { BuildMetadata } from './pipelines/build-metadata.entity';
import { Build } from './pipelines/build.entity';
import { ProjectCiSettings } from './ci-settings/project-ci-settings.entity';
import { Member } from './entities/member.entity';
import { MergeRequest } from './merge-requests/merge-request.entity';
import { Namespace } from './entities/namespace.entity';
import { Pipeline } from './pipelines/pipeline.entity';
import { Project } from './entities/project.entity';
import { REPOSITORY_ENTITIES } from './repository/repository-entities';
import { Runner } from './runners/runner.entity';
import { PersonalAccessToken } from './users/personal-access-token.entity';
import { User } from './entities/user.entity';
import { CiVariable } from './variables/ci-variable.entity';

/**
 * Every TypeORM entity; listed explicitly so nothing depends on file globbing. Part of the app's wiring: `database/`
 * takes the list as an argument, so it imports no module's entities.
 */
export const ENTITIES = [
  User,
  PersonalAccessToken,
  Namespace,
  Project,
  Member,
  CiVariable,
  ...REPOSITORY_ENTITIES,
  ...ENVIRONMENT_ENTITIES,
  ProjectCiSettings,
  Runner,
  Pipeline,
  MergeRequest,
  Build,
  BuildMetadata,
  SigningKey,
];
