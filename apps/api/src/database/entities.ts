import { Member } from '../members/member.entity';
import { Namespace } from '../namespaces/namespace.entity';
import { Project } from '../projects/project.entity';
import { REPOSITORY_ENTITIES } from '../repository/repository-entities';
import { PersonalAccessToken } from '../users/personal-access-token.entity';
import { User } from '../users/user.entity';
import { CiVariable } from '../variables/ci-variable.entity';

/** Every TypeORM entity; listed explicitly so nothing depends on file globbing. */
export const ENTITIES = [User, PersonalAccessToken, Namespace, Project, Member, CiVariable, ...REPOSITORY_ENTITIES];
