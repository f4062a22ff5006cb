import type { Tags } from 'yaml';
import { isMap as isYamlMap, isScalar, isSeq as isYamlSeq } from 'yaml';
import type { YamlValue } from './values';

export const REFERENCE_TAG = '!reference';

/** A `!reference [.job, key, …]` as written: the path to another place in the configuration. */
export class YamlReference {
  constructor(readonly written: YamlValue) {}

  /** GitLab: a non-empty sequence of strings; anything else is `… is not valid`. */
  get path(): readonly string[] | null {
    const written = this.written;
    return Array.isArray(written) && written.length > 0 && written.every((key) => typeof key === 'string') ? written : null;
  }
}

/** The tagged node's plain value, for the path and for messages; nested collections are kept as plain data. */
function plain(node: unknown): YamlValue {
  if (isScalar(node)) return (node.value ?? null) as YamlValue;
  if (isYamlSeq(node)) return node.items.map(plain);
  if (isYamlMap(node)) return new Map(node.items.map((pair) => [String(plain(pair.key)), plain(pair.value)]));
  return null;
}

/** `!reference` on a sequence (the valid form), a scalar or a mapping (both reported as not valid when resolved). */
export const referenceTags: Tags = [
  { tag: REFERENCE_TAG, collection: 'seq', resolve: (seq) => new YamlReference(plain(seq)) },
  { tag: REFERENCE_TAG, collection: 'map', resolve: (map) => new YamlReference(plain(map)) },
  { tag: REFERENCE_TAG, resolve: (scalar: string) => new YamlReference(scalar) },
];
