import type { RunnerVariable } from './runner-variable';

/**
 * GitLab's `Collection::Item::VARIABLES_REGEXP`: `$$` and `%%` (left alone, for the runner), `$NAME`, `${NAME}`,
 * `${}` (left alone) and `%NAME%`. Every alternative is a literal or one character class: linear time.
 */
const REFERENCE = /\$\$|%%|\$([a-zA-Z_][a-zA-Z0-9_]*)|\$\{([a-zA-Z_][a-zA-Z0-9_]*)?\}|%([a-zA-Z_][a-zA-Z0-9_]*)%/g;

/**
 * How many characters expansion may add to a collection. References multiply (`B: $A$A`, `C: $B$B`, …): forty
 * variables of a `.gitlab-ci.yml` would otherwise ask for a value of 2^40 characters, exhausting memory on every
 * pickup. Far above any real collection (each value holds at most 10,000 characters).
 */
export const EXPANSION_BUDGET = 4 * 1024 * 1024;

export interface ExpandedVariableCollection {
  /** In dependency order (what a variable refers to comes first); the input unchanged when `error` is set. */
  readonly variables: RunnerVariable[];
  /**
   * GitLab's "circular variable reference detected: …" naming each cycle, or Lanyard's refusal of an expansion over
   * `EXPANSION_BUDGET`; null when there is none.
   */
  readonly error: string | null;
}

/**
 * GitLab's `Collection#sort_and_expand_all` with its defaults, what a job's `id_tokens:aud` is expanded against:
 * variables are sorted so each comes after those it refers to (`Collection::Sort`, Tarjan's algorithm as Ruby's
 * TSort), then expanded in that order against those already expanded. Raw variables are not expanded (but expand
 * where referenced), unknown references become "", `$$` and `%%` stay. A cycle (A → B → A; a variable referring to
 * itself is not one) expands nothing and is reported, as GitLab does; it never loops. So does an expansion that would
 * outgrow `EXPANSION_BUDGET`, measured before any long value is built.
 */
export function expandVariableCollection(variables: readonly RunnerVariable[]): ExpandedVariableCollection {
  const indexesByKey = new Map<string, number[]>();
  variables.forEach((variable, index) => {
    const indexes = indexesByKey.get(variable.key) ?? [];
    indexes.push(index);
    indexesByKey.set(variable.key, indexes);
  });
  const edges = variables.map((variable) => (dependencies(variable) ?? []).flatMap((key) => indexesByKey.get(key) ?? []));
  const components = stronglyConnectedComponents(edges);
  const cycles = components.filter((component) => component.length > 1);
  if (cycles.length > 0) {
    const names = cycles.map((cycle) => `[${cycle.map((index) => JSON.stringify(variables[index].key)).join(', ')}]`);
    return { variables: [...variables], error: `circular variable reference detected: ${names.join(', ')}` };
  }
  const expanded = new Map<string, string>();
  const sorted: RunnerVariable[] = [];
  let budget = EXPANSION_BUDGET;
  for (const [index] of components) {
    const variable = variables[index];
    let result = variable;
    if (dependencies(variable) !== null) {
      budget -= expandedLength(variable.value, expanded) - variable.value.length;
      if (budget < 0) {
        return {
          variables: [...variables],
          error: `variable expansion too large: ${JSON.stringify(variable.key)} would take the expanded variables past ${EXPANSION_BUDGET} characters`,
        };
      }
      result = { ...variable, value: expandReferences(variable.value, expanded) };
    }
    expanded.set(result.key, result.value);
    sorted.push(result);
  }
  return { variables: sorted, error: null };
}

/** The length `expandReferences` would give, without building the string. */
function expandedLength(value: string, values: ReadonlyMap<string, string>): number {
  let length = value.length;
  for (const match of value.matchAll(REFERENCE)) {
    const key = match[1] ?? match[2] ?? match[3];
    if (key !== undefined) length += (values.get(key)?.length ?? 0) - match[0].length;
  }
  return length;
}

/** GitLab's `Item#depends_on`: null for a raw value or one without `$` or `%`. */
function dependencies(variable: RunnerVariable): string[] | null {
  return variable.raw || !/[$%]/.test(variable.value) ? null : variableReferences(variable.value);
}

/** The variables a (non-raw) value refers to, as the collection expands them: `$$NAME` and `%%` are escapes. */
export function variableReferences(value: string): string[] {
  return [...value.matchAll(REFERENCE)].flatMap((match) => {
    const key = match[1] ?? match[2] ?? match[3];
    return key === undefined ? [] : [key];
  });
}

/**
 * GitLab's `ExpandVariables.expand` of one value: each reference is replaced by the variable's value as given (expand
 * the collection first to resolve references inside values), an unknown one by nothing; `$$`, `%%` and `${}` stay.
 */
export function expandReferences(value: string, values: ReadonlyMap<string, string>): string {
  return value.replace(REFERENCE, (match: string, plain?: string, braced?: string, percent?: string) => {
    const key = plain ?? braced ?? percent;
    if (key === undefined) return match;
    return values.get(key) ?? '';
  });
}

/**
 * Tarjan's strongly connected components, iteratively (a long chain of references must not exhaust the stack),
 * each component in discovery order and the components in dependency order, as Ruby's TSort yields them.
 */
function stronglyConnectedComponents(edges: readonly (readonly number[])[]): number[][] {
  const index: number[] = new Array<number>(edges.length).fill(-1);
  const low: number[] = new Array<number>(edges.length).fill(0);
  const onStack: boolean[] = new Array<boolean>(edges.length).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  const visit = (node: number, work: [number, number][]) => {
    index[node] = low[node] = counter++;
    stack.push(node);
    onStack[node] = true;
    work.push([node, 0]);
  };
  for (let root = 0; root < edges.length; root++) {
    if (index[root] !== -1) continue;
    const work: [number, number][] = [];
    visit(root, work);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const node = frame[0];
      if (frame[1] < edges[node].length) {
        const child = edges[node][frame[1]++];
        if (index[child] === -1) visit(child, work);
        else if (onStack[child]) low[node] = Math.min(low[node], index[child]);
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low[parent] = Math.min(low[parent], low[node]);
      }
      if (low[node] === index[node]) {
        const component = stack.splice(stack.lastIndexOf(node));
        for (const member of component) onStack[member] = false;
        components.push(component);
      }
    }
  }
  return components;
}
