import type { Caller } from '../auth/caller';
import type { AccessLevel } from '@lanyard/access';
import type { Project } from '../entities/project.entity';
import type { Namespace } from '../entities/namespace.entity';

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
    caller?: Caller;
    project?: Project;
    group?: Namespace;
    accessLevel?: AccessLevel;
  }
}
