import type { User } from '../entities/user.entity';

/** The authenticated user behind a request. */
export interface Caller {
  readonly user: User;
}
