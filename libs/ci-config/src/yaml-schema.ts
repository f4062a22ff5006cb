import type { Tags } from 'yaml';
import { referenceTags } from './reference-tag';

const YAML_TAG = 'tag:yaml.org,2002:';
const tagNames = (names: readonly string[]): Set<string> => new Set(names.flatMap((name) => [name, `${YAML_TAG}${name}`]));

/** YAML 1.1 tags that build non-data objects: never read (so never written). */
const OBJECT_TAGS = tagNames(['binary', 'omap', 'pairs', 'set']);
/** Dates stay strings when read; when written, a date-like string is quoted for YAML 1.1 readers. */
const TIMESTAMP_TAG = tagNames(['timestamp']);

/** Psych reads `yes`/`true`/`on` and `no`/`false`/`off` (any case) as booleans, but not YAML 1.1's `y` and `n`. */
const PSYCH_TRUE = /^(?:yes|true|on)$/i;
const PSYCH_FALSE = /^(?:no|false|off)$/i;

function psychTags(tags: Tags, dropped: ReadonlySet<string>): Tags {
  return tags
    .filter((tag) => !dropped.has(typeof tag === 'string' ? tag : tag.tag))
    .map((tag): Tags[number] =>
      typeof tag !== 'string' && !tag.collection && tag.tag === `${YAML_TAG}bool`
        ? { ...tag, test: tag.identify?.(true) ? PSYCH_TRUE : PSYCH_FALSE }
        : tag,
    );
}

/** The YAML 1.1 schema as GitLab's Psych reads `.gitlab-ci.yml`: plain data, and GitLab's one custom tag, `!reference`. */
export const readerTags = (tags: Tags): Tags => [...psychTags(tags, new Set([...OBJECT_TAGS, ...TIMESTAMP_TAG])), ...referenceTags];

/**
 * The same schema for writing, so a string the reader would take for a boolean, number or date gets quotes
 * (references are resolved before anything is written).
 */
export const writerTags = (tags: Tags): Tags => psychTags(tags, OBJECT_TAGS);
