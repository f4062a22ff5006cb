import { Foundation1763880000000 } from './1763880000000-Foundation';
import { PipelinesAndRunners1763890000000 } from './1763890000000-PipelinesAndRunners';
import { IdTokens1763900000000 } from './1763900000000-IdTokens';
import { SigningKeyRevocation1764300000000 } from './1764300000000-SigningKeyRevocation';

/** Every migration in order; listed explicitly so they load the same way under Node, Jest and the CLI. */
export const MIGRATIONS = [Foundation1763880000000, PipelinesAndRunners1763890000000, IdTokens1763900000000, SigningKeyRevocation1764300000000];
