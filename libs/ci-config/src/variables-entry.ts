import { ciConfigMessages as msg } from './messages';
import { Problems, type YamlValue, isMap, unknownKeys } from './values';

/** GitLab's `AlphanumericValidator`: a string or an integer (written unquoted); floats and booleans are refused. */
function isAlphanumeric(value: YamlValue | undefined): value is string | number {
  return typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value));
}

/**
 * `variables:` (GitLab: `Entry::Variables` of `Entry::Variable`): `NAME: value` or `NAME: {value, description}`,
 * integers coerced to strings as GitLab does. `dataKeys` are the keys the hash form may use at this level.
 */
export function parseVariables(value: YamlValue, location: string, dataKeys: readonly string[], problems: Problems): Map<string, string> {
  const variables = new Map<string, string>();
  if (!isMap(value)) {
    problems.error(msg.shouldBeHash(location));
    return variables;
  }
  for (const [name, definition] of value) {
    const at = `${location}:${name}`;
    if (isAlphanumeric(definition)) {
      variables.set(name, String(definition));
    } else if (isMap(definition)) {
      const extra = unknownKeys(definition, dataKeys);
      if (extra.length > 0) problems.error(msg.variableDataKeys(at, extra));
      const data = definition.get('value');
      if (data !== undefined && data !== null && !isAlphanumeric(data)) problems.error(msg.variableValue(at));
      const description = definition.get('description');
      if (description !== undefined && description !== null && !isAlphanumeric(description)) {
        problems.error(msg.variableDescription(at));
      }
      variables.set(name, isAlphanumeric(data) ? String(data) : '');
    } else {
      problems.error(msg.variableDefinition(at));
    }
  }
  return variables;
}
