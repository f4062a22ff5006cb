import type { ExpressionVariables } from '../expressions/evaluate';

// GitLab's `ExpandVariables::VARIABLES_REGEXP`: `$NAME`, `${NAME}` and `%NAME%`.
const REFERENCE = /\$([a-zA-Z_][a-zA-Z0-9_]*)|\$\{([a-zA-Z_][a-zA-Z0-9_]*)\}|%([a-zA-Z_][a-zA-Z0-9_]*)%/g;

function replaceReferences(value: string, replace: (name: string, reference: string) => string): string {
  return value.replace(REFERENCE, (reference: string, dollar?: string, braced?: string, percent?: string) =>
    replace(dollar ?? braced ?? percent ?? '', reference),
  );
}

/**
 * GitLab's `ExpandVariables.expand_existing`: references to defined variables are replaced by their values, others
 * stay as written. Used on `rules:changes`/`rules:exists` paths, `compare_to`, `exists:project` and `exists:ref`.
 */
export function expandExisting(value: string, variables: ExpressionVariables): string {
  return replaceReferences(value, (name, reference) => (Object.hasOwn(variables, name) ? variables[name] : reference));
}

/** GitLab's `ExpandVariables.expand`: like `expandExisting`, but a reference to an undefined variable becomes empty. */
export function expandVariables(value: string, variables: ExpressionVariables): string {
  return replaceReferences(value, (name) => (Object.hasOwn(variables, name) ? variables[name] : ''));
}
