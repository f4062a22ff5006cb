import type { User } from '../users/user.entity';

/** The authenticated user behind a request. */
export interface Caller {
  readonly user: User;
}
