import { parseDuration } from './duration';
import {
  ARTIFACTS_ACCESS,
  ARTIFACTS_KEYWORDS,
  ARTIFACT_REPORT_TYPES,
  COVERAGE_FORMATS,
  COVERAGE_REPORT_KEYWORDS,
} from './execution-keywords';
import type { ArtifactReportType, ArtifactsAccess, CoverageFormat } from './execution-keywords';
import { ARTIFACTS_WHEN_VALUES } from './keywords';
import type { ArtifactsWhen } from './keywords';
import { ciConfigMessages as msg } from './messages';
import type { ArtifactsDefinition } from './types';
import { validatorMessages as v } from './validator-messages';
import { Problems, type YamlValue, isMap, isString, isStringArray, unknownKeys } from './values';

/** GitLab: `Artifacts::EXPOSE_AS_REGEX`, Ruby's `\w` being ASCII. */
const EXPOSE_AS = /^[A-Za-z0-9_][-A-Za-z0-9_ ]*$/;
const EXPOSE_AS_MAX_LENGTH = 100;

const includes = <T extends string>(list: readonly T[], value: YamlValue | undefined): value is T =>
  (list as readonly YamlValue[]).includes(value ?? null);

/** `artifacts:` (GitLab: `Entry::Artifacts` and `Entry::Reports`). Null when invalid (every problem is reported). */
export function parseArtifacts(value: YamlValue, location: string, problems: Problems): ArtifactsDefinition | null {
  if (!isMap(value)) {
    problems.error(v.hash(location));
    return null;
  }
  const before = problems.errors.length;
  const extra = unknownKeys(value, ARTIFACTS_KEYWORDS);
  if (extra.length > 0) problems.error(msg.unknownKeys(location, extra));
  const get = (key: string): YamlValue => value.get(key) ?? null;
  const exposeAs = get('expose_as');
  if (exposeAs !== null && get('paths') === null) problems.error(v.blank(location, 'paths'));
  if (value.has('public') && value.has('access')) problems.error(v.keysTogether(location, ['public', 'access']));
  if (get('name') !== null && !isString(get('name'))) problems.error(v.string(location, 'name'));
  if (get('public') !== null && typeof get('public') !== 'boolean') problems.error(v.boolean(location, 'public'));
  if (get('untracked') !== null && typeof get('untracked') !== 'boolean') problems.error(v.boolean(location, 'untracked'));
  const paths = get('paths');
  if (paths !== null && !isStringArray(paths)) problems.error(v.arrayOfStrings(location, 'paths'));
  if (exposeAs !== null) checkExposeAs(exposeAs, paths, location, problems);
  if (get('exclude') !== null && !isStringArray(get('exclude'))) problems.error(v.arrayOfStrings(location, 'exclude'));
  const reports = value.has('reports') ? parseReports(get('reports'), location, problems) : { paths: {}, coverageReport: null };
  checkOneOf(get('when'), location, 'when', ARTIFACTS_WHEN_VALUES, problems);
  const expireIn = get('expire_in');
  if (expireIn !== null && !isExpiry(expireIn)) problems.error(v.duration(location, 'expire in'));
  checkOneOf(get('access'), location, 'access', ARTIFACTS_ACCESS, problems);
  if (problems.errors.length !== before) return null;

  const access = get('access');
  const visibility = get('public');
  return {
    name: isString(get('name')) ? (get('name') as string) : null,
    paths: isStringArray(paths) ? paths : null,
    exclude: isStringArray(get('exclude')) ? (get('exclude') as readonly string[]) : null,
    untracked: typeof get('untracked') === 'boolean' ? (get('untracked') as boolean) : null,
    when: includes(ARTIFACTS_WHEN_VALUES, get('when')) ? (get('when') as ArtifactsWhen) : null,
    expireIn: isString(expireIn) ? expireIn : null,
    exposeAs: isString(exposeAs) ? exposeAs : null,
    // `public: false` is GitLab's older spelling of `access: developer`.
    access: includes(ARTIFACTS_ACCESS, access)
      ? (access as ArtifactsAccess)
      : visibility === false
        ? 'developer'
        : visibility === true
          ? 'all'
          : null,
    reports: reports.paths,
    coverageReport: reports.coverageReport,
  };
}

/** GitLab: `DurationParser`, a string ChronicDuration reads, or `never`. */
function isExpiry(value: YamlValue): boolean {
  return isString(value) && (value.trim().toLowerCase() === 'never' || parseDuration(value) !== null);
}

/** GitLab: `validates :x, type: String, inclusion: {in, message: 'should be one of: …'}` with `allow_nil`. */
export function checkOneOf(value: YamlValue, location: string, attribute: string, allowed: readonly string[], problems: Problems): void {
  if (value === null) return;
  if (!isString(value)) problems.error(v.string(location, attribute));
  if (!includes(allowed, value)) problems.error(v.oneOf(location, attribute, allowed));
}

function checkExposeAs(exposeAs: YamlValue, paths: YamlValue, location: string, problems: Problems): void {
  if (isStringArray(paths) && paths.some((path) => path.includes('*'))) problems.error(msg.exposeAsWildcard(location));
  if (!isString(exposeAs)) {
    problems.error(v.string(location, 'expose as'));
    return;
  }
  if (exposeAs.length > EXPOSE_AS_MAX_LENGTH) problems.error(v.tooLong(location, 'expose as', EXPOSE_AS_MAX_LENGTH));
  if (!EXPOSE_AS.test(exposeAs)) problems.error(msg.exposeAsFormat(location));
}

interface Reports {
  readonly paths: Partial<Record<ArtifactReportType, readonly string[]>>;
  readonly coverageReport: ArtifactsDefinition['coverageReport'];
}

/** `artifacts:reports:` (GitLab 18's report types): each a path or a list of paths; `coverage_report` a format and a path. */
function parseReports(value: YamlValue, artifactsLocation: string, problems: Problems): Reports {
  const location = `${artifactsLocation}:reports`;
  if (!isMap(value)) {
    // GitLab checks the type twice: in `Artifacts` (`reports should be a hash`) and in `Reports` itself.
    problems.error(v.hash(artifactsLocation, 'reports'));
    problems.error(v.hash(location));
    return { paths: {}, coverageReport: null };
  }
  const extra = unknownKeys(value, [...ARTIFACT_REPORT_TYPES, 'coverage_report']);
  if (extra.length > 0) problems.error(msg.unknownKeys(location, extra));
  const paths: Partial<Record<ArtifactReportType, readonly string[]>> = {};
  for (const [type, setting] of value) {
    if (!includes(ARTIFACT_REPORT_TYPES, type) || setting === null) continue;
    if (isString(setting)) paths[type] = [setting];
    else if (isStringArray(setting)) paths[type] = setting;
    else problems.error(v.arrayOfStringsOrString(location, type.replace(/_/g, ' ')));
  }
  const coverage = value.get('coverage_report') ?? null;
  return { paths, coverageReport: coverage === null ? null : parseCoverageReport(coverage, `${location}:coverage_report`, problems) };
}

function parseCoverageReport(value: YamlValue, location: string, problems: Problems): Reports['coverageReport'] {
  if (!isMap(value)) {
    problems.error(v.hash(location));
    return null;
  }
  const extra = unknownKeys(value, COVERAGE_REPORT_KEYWORDS);
  if (extra.length > 0) problems.error(msg.unknownKeys(location, extra));
  const format = value.get('coverage_format') ?? null;
  const path = value.get('path') ?? null;
  if (format === null || format === '') problems.error(v.blank(location, 'coverage format'));
  else if (!includes(COVERAGE_FORMATS, format)) problems.error(msg.coverageFormat(location));
  if (path === null || path === '') problems.error(v.blank(location, 'path'));
  else if (!isString(path)) problems.error(v.string(location, 'path'));
  return includes(COVERAGE_FORMATS, format) && isString(path) && path !== '' ? { format: format as CoverageFormat, path } : null;
}
