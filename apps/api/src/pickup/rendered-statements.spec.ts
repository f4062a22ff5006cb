import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RENDERED_STATEMENTS } from './rendered-statements';

describe('the pickup statements committed as .sql', () => {
  it.each(Object.keys(RENDERED_STATEMENTS))('%s is the text the code runs (npm run sql:render rewrites it)', (file) => {
    expect(readFileSync(join(__dirname, file), 'utf8')).toBe(`${RENDERED_STATEMENTS[file]}\n`);
  });

  it('lists every statement of the pickup, each once', () => {
    expect(Object.keys(RENDERED_STATEMENTS).sort()).toEqual([
      'assign.sql',
      'claim.group.sql',
      'claim.instance.sql',
      'claim.project.sql',
      'preview.sql',
    ]);
    expect(new Set(Object.values(RENDERED_STATEMENTS)).size).toBe(5);
  });
});
