import { ProtectedRef } from './protected-ref.entity';
import { RepositoryCommit } from './repository-commit.entity';
import { RepositoryRef } from './repository-ref.entity';

/** This module's entities, for the application's entity list. */
export const REPOSITORY_ENTITIES = [RepositoryCommit, RepositoryRef, ProtectedRef];
