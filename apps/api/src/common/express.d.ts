import type { Caller } from '../auth/caller';
import type { AccessLevel } from '@lanyard/access';
import type { Project } from '../projects/project.entity';
import type { Namespace } from '../namespaces/namespace.entity';

declare module 'express-serve-static-core' {
  interface Request {
    requestId: string;
    caller?: Caller;
    project?: Project;
    group?: Namespace;
    accessLevel?: AccessLevel;
  }
}
