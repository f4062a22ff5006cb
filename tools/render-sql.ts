// Writes the pickup's statements, as the code renders them, to their committed `.sql` files (see rendered-statements.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RENDERED_STATEMENTS } from '../apps/api/src/pickup/rendered-statements';

for (const [file, text] of Object.entries(RENDERED_STATEMENTS)) {
  writeFileSync(join(__dirname, '../apps/api/src/pickup', file), `${text}\n`);
  console.log(`apps/api/src/pickup/${file}`);
}
