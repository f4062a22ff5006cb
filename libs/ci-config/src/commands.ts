import { CI_CONFIG_LIMITS as LIMITS } from './limits';
import { Problems, type YamlValue, isSeq, isString } from './values';
import { validatorMessages as v } from './validator-messages';

/**
 * `script`, `before_script`, `after_script` (GitLab: `Entry::Commands`): a string or a list nested up to 10 levels
 * (as `!reference` and anchors leave it), flattened. Null when invalid (the problem is reported).
 */
export function parseCommands(value: YamlValue, location: string, problems: Problems): string[] | null {
  const lines: string[] = [];
  if (flattenStrings(value, 1, lines)) return lines;
  problems.error(v.commands(location));
  return null;
}

function flattenStrings(value: YamlValue, level: number, into: string[]): boolean {
  if (isString(value)) {
    into.push(value);
    return true;
  }
  if (!isSeq(value) || level > LIMITS.maxScriptNesting) return false;
  return value.every((item) => flattenStrings(item, level + 1, into));
}
