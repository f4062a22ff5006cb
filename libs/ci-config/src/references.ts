import { CI_CONFIG_LIMITS as LIMITS } from './limits';
import { ciConfigMessages as msg } from './messages';
import { YamlReference } from './reference-tag';
import { rubyInspect } from './ruby-inspect';
import { type YamlMap, type YamlValue, isMap, isSeq } from './values';

export type ReferencesResult = { readonly ok: true; readonly root: YamlMap } | { readonly ok: false; readonly error: string };

class ReferenceError extends Error {}

/**
 * GitLab's `Config::Yaml::Tags::Resolver`, run after `extends`: every `!reference [key, …]` becomes a copy of the
 * value at that path of the configuration, itself resolved. Like GitLab, the first problem stops it: a path that is
 * not a non-empty list of strings, a path that leads nowhere (or to `null`/`false`, or through a non-hash), a chain
 * that comes back to itself. Beyond GitLab, chains deeper than 50 references and results bigger than the expanded
 * size limit are refused, so a few lines cannot fan out into millions of values.
 */
export function resolveReferences(root: YamlMap): ReferencesResult {
  const resolver = new Resolver(root);
  try {
    const resolved = resolver.value(root, 0);
    return { ok: true, root: resolved as YamlMap };
  } catch (error) {
    if (error instanceof ReferenceError) return { ok: false, error: error.message };
    throw error;
  }
}

interface Resolved {
  readonly value: YamlValue;
  /** Values in `value`, each appearance of a shared subtree counted. */
  readonly size: number;
}

class Resolver {
  /** By path: a path always resolves to the same value, wherever the reference is written. */
  private readonly done = new Map<string, Resolved>();
  private readonly inProgress = new Set<string>();

  constructor(private readonly root: YamlMap) {}

  value(value: YamlValue, depth: number): YamlValue {
    const resolved = this.resolve(value, depth);
    if (resolved.size > LIMITS.maxNodes) throw new ReferenceError(msg.tooManyNodes());
    return resolved.value;
  }

  private resolve(value: YamlValue, depth: number): Resolved {
    if (value instanceof YamlReference) return this.follow(value, depth);
    if (isSeq(value)) {
      const items = value.map((item) => this.resolve(item, depth));
      return this.sized(
        items.map((item) => item.value),
        items,
      );
    }
    if (isMap(value)) {
      const entries = [...value].map(([key, item]) => [key, this.resolve(item, depth)] as const);
      return this.sized(
        new Map(entries.map(([key, item]) => [key, item.value])),
        entries.map(([, item]) => item),
      );
    }
    return { value, size: 1 };
  }

  private sized(value: YamlValue, parts: readonly Resolved[]): Resolved {
    const size = parts.reduce((sum, part) => sum + part.size, 1);
    if (size > LIMITS.maxNodes) throw new ReferenceError(msg.tooManyNodes());
    return { value, size };
  }

  private follow(reference: YamlReference, depth: number): Resolved {
    const path = reference.path;
    if (!path) throw new ReferenceError(msg.referenceInvalid(rubyInspect(presence(reference.written))));
    const key = JSON.stringify(path);
    const finished = this.done.get(key);
    if (finished) return finished;
    const written = rubyInspect(path);
    if (this.inProgress.has(key)) throw new ReferenceError(msg.referenceCircular(written));
    if (depth >= LIMITS.maxReferenceNesting) throw new ReferenceError(msg.referenceTooDeep(written));

    this.inProgress.add(key);
    const target = dig(this.root, path);
    const resolved = target === undefined ? undefined : this.resolve(target, depth + 1);
    this.inProgress.delete(key);
    // GitLab: `raise MissingReferenceError unless value`, so a path to `null` or `false` is missing too.
    if (!resolved || resolved.value === null || resolved.value === false) throw new ReferenceError(msg.referenceNotFound(written));
    this.done.set(key, resolved);
    return resolved;
  }
}

/** Ruby's `Hash#dig` as GitLab calls it: only hashes are walked; a string, list or reference on the way is missing. */
function dig(root: YamlMap, path: readonly string[]): YamlValue | undefined {
  let current: YamlValue | undefined = root;
  for (const key of path) {
    if (!isMap(current)) return undefined;
    current = current.get(key);
  }
  return current;
}

/** ActiveSupport's `presence` as GitLab's message applies it: a blank scalar or an empty mapping reads `nil`. */
function presence(written: YamlValue): YamlValue {
  if (typeof written === 'string') return written.trim() === '' ? null : written;
  if (isMap(written)) return written.size === 0 ? null : written;
  return written;
}
