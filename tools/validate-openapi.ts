// `npm run openapi:check`: starts the service on a scratch embedded database (or DATABASE_URL), fetches
// GET /api/v4/openapi.json as a client would, writes it to tmp/openapi.json, and fails unless @apidevtools/swagger-parser
// accepts it, every operation is complete (incompleteOperations) and `redocly lint` (redocly.yaml) finds no error and
// no warning.
import 'reflect-metadata';
import SwaggerParser from '@apidevtools/swagger-parser';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadConfig } from '../apps/api/src/config/app-config';
import { createApp } from '../apps/api/src/create-app';
import { openDatabase } from '../apps/api/src/database/database-connection';
import { JsonLogger } from '../apps/api/src/logging/json-logger';
import { incompleteOperations } from '../apps/api/src/openapi-completion';

const ROOT = join(__dirname, '..');
const OUTPUT = join(ROOT, 'tmp/openapi.json');

async function fetchDocument(): Promise<object> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lanyard-openapi-'));
  // A fixed external URL, so the document (its `servers`) does not depend on who runs the check.
  const config = loadConfig({ ...process.env, LANYARD_DATA_DIR: dataDir, LANYARD_EXTERNAL_URL: 'https://lanyard.test' });
  const database = await openDatabase(config);
  try {
    const { app } = await createApp(config, database, new JsonLogger(undefined, 'warn'));
    try {
      const response = await request(app.getHttpServer()).get('/api/v4/openapi.json').expect(200);
      return response.body as object;
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const document = await fetchDocument();
  mkdirSync(join(ROOT, 'tmp'), { recursive: true });
  writeFileSync(OUTPUT, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`wrote tmp/openapi.json`);
  // swagger-parser dereferences in place: give it a copy.
  await SwaggerParser.validate(structuredClone(document) as never);
  console.log('swagger-parser: valid');
  const gaps = incompleteOperations(document as never);
  for (const gap of gaps) console.error(`incomplete: ${gap}`);
  if (gaps.length > 0) throw new Error(`${gaps.length} gaps in the document (run \`npm run openapi:responses\` after adding a route)`);
  console.log('every operation declares its path parameters, a response body (or 202/204) and its error responses');
  // No telemetry or update check from CI: the lint needs no network.
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  const lint = (format: string) =>
    spawnSync('npx', ['redocly', 'lint', '--config', 'redocly.yaml', `--format=${format}`, 'tmp/openapi.json'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });
  // redocly exits 0 on warnings; the document is held to none (its report, in JSON, counts them).
  const { totals } = JSON.parse(lint('json').stdout) as { totals: { errors: number; warnings: number; ignored: number } };
  console.log(`redocly lint: ${totals.errors} errors, ${totals.warnings} warnings (${totals.ignored} ignored, .redocly.lint-ignore.yaml)`);
  if (totals.errors > 0 || totals.warnings > 0) {
    console.error(lint('stylish').stdout);
    throw new Error('redocly lint found problems');
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
