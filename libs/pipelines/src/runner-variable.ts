/** A variable as the runner receives it: GitLab's `{key, value, public, masked}`, `file`/`raw` only when true. */
export interface RunnerVariable {
  readonly key: string;
  readonly value: string;
  readonly public: boolean;
  readonly masked: boolean;
  readonly file?: true;
  readonly raw?: true;
}

export interface VariableInput {
  readonly key: string;
  readonly value: string;
  readonly masked?: boolean;
  readonly file?: boolean;
  readonly raw?: boolean;
  /** Predefined values GitLab marks public (not secret); user-defined variables are never public. */
  readonly public?: boolean;
}

export function toRunnerVariable(input: VariableInput): RunnerVariable {
  return {
    key: input.key,
    value: input.value,
    public: input.public ?? false,
    masked: input.masked ?? false,
    ...(input.file ? { file: true as const } : {}),
    ...(input.raw ? { raw: true as const } : {}),
  };
}

/** The effective value of each key: later entries win, as they do for the runner. */
export function lastValues(variables: readonly RunnerVariable[]): Map<string, string> {
  return new Map(variables.map((variable) => [variable.key, variable.value]));
}
