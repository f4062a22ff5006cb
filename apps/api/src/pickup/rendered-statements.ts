import { ASSIGN_STATEMENT } from './assign.statement';
import { SNAPSHOT_STATEMENTS } from './snapshot.statement';

/**
 * Every statement the pickup runs, by the file its rendered text is committed in beside this one: a change to any of
 * them (or to a fragment they use) shows in review as a change to a `.sql` file. `npm run sql:render` rewrites them;
 * `rendered-statements.spec.ts` fails while they differ.
 */
export const RENDERED_STATEMENTS: Readonly<Record<string, string>> = {
  ...SNAPSHOT_STATEMENTS,
  'assign.sql': ASSIGN_STATEMENT,
};
