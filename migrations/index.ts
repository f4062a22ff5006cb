import { Foundation1763880000000 } from './1763880000000-Foundation';

/** Every migration in order; listed explicitly so they load the same way under Node, Jest and the CLI. */
export const MIGRATIONS = [Foundation1763880000000];
