import { PatternEngine } from '../../expressions/pattern-engine';
import { type YamlValue } from '../../values';
import { loadYaml } from '../../yaml-loader';
import type { RepositoryFacts, RulesContext } from '../rule-clauses';

/** The YAML value of `source`, written as it would be under a key (block or flow style). */
export function yaml(source: string): YamlValue {
  const loaded = loadYaml(`value:\n${source.replace(/^/gm, '  ')}`);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  return loaded.root.get('value') ?? null;
}

/** A rules context over a small repository; every part can be replaced. */
export function rulesContext(
  overrides: Partial<Omit<RulesContext, 'repository'>> & { repository?: Partial<RepositoryFacts> } = {},
): RulesContext {
  const { repository, ...rest } = overrides;
  return {
    variables: {},
    expandedVariables: rest.variables ?? {},
    engine: new PatternEngine(),
    ...rest,
    repository: {
      changedPaths: null,
      changedPathsSince: () => undefined,
      files: [],
      filesInProject: () => ({ missing: 'project' }),
      ...repository,
    },
  };
}
