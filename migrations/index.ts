import { Foundation1763880000000 } from './1763880000000-Foundation';
import { PipelinesAndRunners1763890000000 } from './1763890000000-PipelinesAndRunners';
import { IdTokens1763900000000 } from './1763900000000-IdTokens';
import { CustomClaims1764500000000 } from './1764500000000-CustomClaims';

/** Every migration in order; listed explicitly so they load the same way under Node, Jest and the CLI. */
export const MIGRATIONS = [Foundation1763880000000, PipelinesAndRunners1763890000000, IdTokens1763900000000, CustomClaims1764500000000];
