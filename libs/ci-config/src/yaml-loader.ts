import { Composer, LineCounter, Parser, isAlias, isMap as isYamlMap, isPair, isScalar, isSeq as isYamlSeq } from 'yaml';
import type { CST, Document, DocumentOptions, ParseOptions, SchemaOptions, YAMLError } from 'yaml';
import { CI_CONFIG_LIMITS as LIMITS } from './limits';
import { YamlReference } from './reference-tag';
import { readerTags } from './yaml-schema';
import { ciConfigMessages as msg } from './messages';
import { hasUnstorableCharacters, utf8ByteLength } from './text-rules';
import type { YamlMap, YamlValue } from './values';

export type LoadResult =
  { readonly ok: true; readonly root: YamlMap; readonly hasReferences: boolean } | { readonly ok: false; readonly errors: string[] };

const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  // Keys stay the text written: a job named `on` or `010` is not turned into `true` or `8`.
  stringKeys: true,
  // The library compares each key with every earlier one (quadratic); duplicates are found below in linear time.
  uniqueKeys: false,
  strict: true,
  logLevel: 'error',
  customTags: readerTags,
};

const MAX_REPORTED_YAML_ERRORS = 10;

class LoadFailure extends Error {}

/**
 * Parses `.gitlab-ci.yml` source into plain data, refusing what could exhaust the process: oversized input, deep
 * nesting (checked on the parser's token tree before the recursive composer runs: a stack overflow inside the YAML
 * library can corrupt the V8 regexp engine and abort the next parse), many anchors, alias bombs, huge expansions.
 */
export function loadYaml(source: string): LoadResult {
  // Every character is at least one byte: a long string is refused before it is scanned.
  if (source.length > LIMITS.maxConfigBytes || utf8ByteLength(source) > LIMITS.maxConfigBytes) {
    return failure(msg.configTooLarge());
  }
  if (source.trim() === '') return failure(msg.blankContent());

  const lineCounter = new LineCounter();
  const tokens = [...new Parser(lineCounter.addNewLine).parse(source)];
  const shape = measureTokens(tokens);
  if (shape.tooDeep) return failure(msg.nestingTooDeep());
  if (shape.anchorsAndAliases > LIMITS.maxAnchorsAndAliases) return failure(msg.tooManyAnchors());

  // Composed lazily: a file of many `---` documents costs no more than two.
  const documents = new Composer(YAML_OPTIONS).compose(tokens, true, source.length);
  const document = documents.next().value as Document.Parsed;
  const second = documents.next().value as Document.Parsed | undefined;
  const position = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `at line ${line}, column ${col}`;
  };
  const problems = [...document.errors, ...document.warnings].map((error: YAMLError) =>
    msg.invalidFormat(`${error.message} ${position(error.pos[0])}`),
  );
  if (second) {
    // GitLab reads a first document `spec:` as the header of `spec:inputs`, which Lanyard does not build: say so.
    const header = isYamlMap(document.contents) && document.contents.items.some((pair) => isScalar(pair.key) && pair.key.value === 'spec');
    problems.push(
      header ? msg.specHeaderUnsupported() : msg.invalidFormat(`multiple documents are not supported ${position(second.range[0])}`),
    );
  }
  for (const duplicate of duplicateKeys(document, lineCounter)) problems.push(duplicate);
  if (problems.length > 0) return { ok: false, errors: problems.slice(0, MAX_REPORTED_YAML_ERRORS) };

  let data: unknown;
  try {
    data = document.toJS({ mapAsMap: true, maxAliasCount: LIMITS.maxAliasCount });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return failure(text.startsWith('Excessive alias count') ? msg.aliasBomb() : msg.invalidFormat(text));
  }

  let root: YamlValue;
  const budget = { nodes: 0, references: 0 };
  try {
    root = normalize(data, 0, budget);
  } catch (error) {
    if (error instanceof LoadFailure) return failure(error.message);
    throw error;
  }
  if (root === null) return failure(msg.blankContent());
  if (!(root instanceof Map)) return failure(msg.invalidFormat());
  return { ok: true, root, hasReferences: budget.references > 0 };
}

function failure(error: string): LoadResult {
  return { ok: false, errors: [error] };
}

interface TokenShape {
  readonly tooDeep: boolean;
  readonly anchorsAndAliases: number;
}

/** Walks the parser's token tree without recursion: collection depth and anchor/alias count. */
function measureTokens(tokens: readonly CST.Token[]): TokenShape {
  const stack: Array<readonly [CST.Token, number]> = tokens.map((token) => [token, 0] as const);
  let anchorsAndAliases = 0;
  const countAnchors = (sourceTokens: readonly CST.Token[] | undefined): void => {
    for (const token of sourceTokens ?? []) if (token.type === 'anchor') anchorsAndAliases++;
  };
  while (stack.length > 0) {
    const [token, depth] = stack.pop() as readonly [CST.Token, number];
    switch (token.type) {
      case 'document':
        countAnchors(token.start);
        if (token.value) stack.push([token.value, depth]);
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        const inner = depth + 1;
        if (inner > LIMITS.maxNestingDepth) return { tooDeep: true, anchorsAndAliases };
        for (const item of token.items) {
          countAnchors(item.start);
          countAnchors(item.sep);
          if (item.key) stack.push([item.key, inner]);
          if (item.value) stack.push([item.value, inner]);
        }
        break;
      }
      case 'block-scalar':
        countAnchors(token.props);
        break;
      case 'alias':
        anchorsAndAliases++;
        break;
      default:
        break;
    }
  }
  return { tooDeep: false, anchorsAndAliases };
}

/** GitLab's Psych keeps the last of duplicate keys silently; a duplicate here is almost always a mistake. */
function duplicateKeys(document: Document.Parsed, lineCounter: LineCounter): string[] {
  const errors: string[] = [];
  const stack: unknown[] = [document.contents];
  while (stack.length > 0 && errors.length < MAX_REPORTED_YAML_ERRORS) {
    const node = stack.pop();
    if (isYamlMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key) && typeof key.value === 'string') {
          const isMergeKey = key.value === '<<' && key.type === 'PLAIN';
          if (!isMergeKey && seen.has(key.value)) {
            const { line, col } = lineCounter.linePos(key.range?.[0] ?? 0);
            errors.push(msg.duplicateKey(key.value, line, col));
          }
          seen.add(key.value);
        }
        stack.push(pair.value);
      }
    } else if (isYamlSeq(node)) {
      for (const item of node.items) stack.push(item);
    } else if (isPair(node)) {
      stack.push(node.value);
    } else if (isAlias(node)) {
      continue;
    }
  }
  return errors;
}

/** Copies the library's output into our value types; aliases become copies, so count and bound every value. */
function normalize(value: unknown, depth: number, budget: { nodes: number; references: number }): YamlValue {
  budget.nodes++;
  if (budget.nodes > LIMITS.maxNodes) throw new LoadFailure(msg.tooManyNodes());
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' && hasUnstorableCharacters(value)) throw new LoadFailure(msg.unstorableCharacter());
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return value;
  if (value instanceof YamlReference) {
    budget.references++;
    return new YamlReference(normalize(value.written, depth, budget));
  }
  if (value instanceof Map || Array.isArray(value)) {
    if (depth + 1 > LIMITS.maxNestingDepth) throw new LoadFailure(msg.nestingTooDeep());
    if (Array.isArray(value)) return value.map((item: unknown) => normalize(item, depth + 1, budget));
    const map = new Map<string, YamlValue>();
    for (const [key, item] of value as Map<unknown, unknown>) {
      if (typeof key !== 'string') throw new LoadFailure(msg.invalidFormat('mapping keys must be strings'));
      if (hasUnstorableCharacters(key)) throw new LoadFailure(msg.unstorableCharacter());
      map.set(key, normalize(item, depth + 1, budget));
    }
    return map;
  }
  throw new LoadFailure(msg.invalidFormat(`unsupported value of type ${typeof value}`));
}
