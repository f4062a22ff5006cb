// Writes each route's response body schema, read from its handler's TypeScript return type, to the committed
// apps/api/src/openapi-responses.json, which the OpenAPI document reads at run time (the types are gone by then).
// `--check` writes nothing and fails when the committed file is stale: run `npm run openapi:responses` after changing
// a controller or a presenter.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import prettier from 'prettier';
import ts from 'typescript';
import { readHandlerResponses } from './openapi/response-types';

const ROOT = join(__dirname, '..');
const SOURCE = join(ROOT, 'apps/api/src');
const RESPONSES_FILE = join(SOURCE, 'openapi-responses.json');

function controllerFiles(): string[] {
  return (readdirSync(SOURCE, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
    .map((file) => join(SOURCE, file))
    .filter((file) => readFileSync(file, 'utf8').includes('@Controller('))
    .sort();
}

async function render(): Promise<{ text: string; problems: string[] }> {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  const { responses, problems } = readHandlerResponses(controllerFiles(), config!.options);
  const sorted = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
  const options = await prettier.resolveConfig(RESPONSES_FILE);
  return { text: await prettier.format(JSON.stringify(sorted), { ...options, parser: 'json' }), problems };
}

async function main(check: boolean): Promise<void> {
  const { text, problems } = await render();
  const target = relative(ROOT, RESPONSES_FILE);
  if (!check) {
    for (const problem of problems) console.warn(`untyped field (the schema accepts anything): ${problem}`);
    writeFileSync(RESPONSES_FILE, text);
    console.log(target);
  } else if (readFileSync(RESPONSES_FILE, 'utf8') !== text) {
    console.error(`${target} is stale: run \`npm run openapi:responses\` and commit it`);
    process.exitCode = 1;
  }
}

main(process.argv.includes('--check')).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
