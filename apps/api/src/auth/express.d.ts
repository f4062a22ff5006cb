import type { AccessLevel } from '@lanyard/access';
import type { Namespace } from '../entities/namespace.entity';
import type { Project } from '../entities/project.entity';
import type { Caller } from './caller';

/** What the auth guards put on a request: who calls, and the resource `:id` names with the caller's level on it. */
declare module 'express-serve-static-core' {
  interface Request {
    caller?: Caller;
    /** The personal access token the request authenticated with (the admin's own under sudo, as GitLab). */
    accessTokenId?: number;
    project?: Project;
    group?: Namespace;
    accessLevel?: AccessLevel;
  }
}
