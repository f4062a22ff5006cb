/** GitLab's `ExpandVariables::VARIABLES_REGEXP`: `$NAME`, `${NAME}` and `%NAME%`. */
const VARIABLE_REFERENCE = /\$([a-zA-Z_][a-zA-Z0-9_]*)|\$\{([a-zA-Z_][a-zA-Z0-9_]*)\}|%([a-zA-Z_][a-zA-Z0-9_]*)%/g;

/**
 * GitLab's `ExpandVariables.expand`, in a single pass: each reference is replaced by the variable's value as given,
 * an unknown one by nothing; values are not expanded further. Used for environment names at job creation, over the
 * variables known then (GitLab's `simple_variables`). Unlike the pickup-time expansion of a job's variables among
 * themselves in dependency order (for `aud`), this does not resolve references inside values; the two can be merged
 * by expanding `variables` among themselves first and then calling this.
 */
export function expandVariablesOnce(value: string, variables: ReadonlyMap<string, string>): string {
  return value.replace(VARIABLE_REFERENCE, (_match, plain?: string, braced?: string, percent?: string) => variables.get((plain ?? braced ?? percent)!) ?? '');
}
