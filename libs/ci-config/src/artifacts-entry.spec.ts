import { parseArtifacts } from './artifacts-entry';
import { parseCiConfig } from './index';
import type { ArtifactsDefinition } from './index';

const errorsOf = (yaml: string): string[] => parseCiConfig(yaml, { optInJwt: true }).errors;
const artifactsOf = (artifacts: string): ArtifactsDefinition | null => {
  const result = parseCiConfig(`job: {script: x, artifacts: ${artifacts}}`, { optInJwt: true });
  expect(result.errors).toEqual([]);
  return result.jobs[0].artifacts;
};
const NONE: ArtifactsDefinition = {
  name: null,
  paths: null,
  exclude: null,
  untracked: null,
  when: null,
  expireIn: null,
  exposeAs: null,
  access: null,
  reports: {},
  coverageReport: null,
};

describe(parseArtifacts.name, () => {
  it.each<[string, string, ArtifactsDefinition]>([
    ['nothing but a hash', '{}', NONE],
    [
      'GitLab’s example (§9.9)',
      '{paths: [coverage/], expire_in: 1 week, reports: {junit: rspec.xml}}',
      { ...NONE, paths: ['coverage/'], expireIn: '1 week', reports: { junit: ['rspec.xml'] } },
    ],
    [
      'every key',
      '{name: out, paths: [a, b], exclude: [a/*.log], untracked: true, when: always, expire_in: never, expose_as: Test report, access: developer}',
      {
        ...NONE,
        name: 'out',
        paths: ['a', 'b'],
        exclude: ['a/*.log'],
        untracked: true,
        when: 'always',
        expireIn: 'never',
        exposeAs: 'Test report',
        access: 'developer',
      },
    ],
    ['public: false as access developer', '{paths: [a], public: false}', { ...NONE, paths: ['a'], access: 'developer' }],
    ['public: true as access all', '{paths: [a], public: true}', { ...NONE, paths: ['a'], access: 'all' }],
    [
      'reports of several types, a path or a list',
      '{reports: {junit: [a.xml, b.xml], dotenv: build.env, codequality: cq.json}}',
      { ...NONE, reports: { junit: ['a.xml', 'b.xml'], dotenv: ['build.env'], codequality: ['cq.json'] } },
    ],
    [
      'a coverage report',
      '{reports: {coverage_report: {coverage_format: cobertura, path: coverage.xml}}}',
      { ...NONE, coverageReport: { format: 'cobertura', path: 'coverage.xml' } },
    ],
    ...['on_success', 'on_failure', 'always'].map((when): [string, string, ArtifactsDefinition] => [
      `when: ${when}`,
      `{when: ${when}}`,
      { ...NONE, when: when as 'always' },
    ]),
    ...['1 week', '3 days 4 hrs', '30 minutes', 'Never'].map((expiry): [string, string, ArtifactsDefinition] => [
      `expire_in: ${expiry}`,
      `{expire_in: ${expiry}}`,
      { ...NONE, expireIn: expiry },
    ]),
  ])('accepts %s', (_case, artifacts, expected) => {
    expect(artifactsOf(artifacts)).toEqual(expected);
  });

  it.each([
    ['a list', '[a]', ['config should be a hash']],
    ['unknown keys', '{paths: [a], foo: 1}', ['config contains unknown keys: foo']],
    ['a name that is a list', '{name: [a]}', ['name should be a string']],
    ['untracked as a string', '{untracked: "yes"}', ['untracked should be a boolean value']],
    ['paths as a string', '{paths: a}', ['paths should be an array of strings']],
    ['exclude as a string', '{exclude: a}', ['exclude should be an array of strings']],
    ['an unknown when', '{when: never}', ['when should be one of: on_success, on_failure, always']],
    ['a when that is a list', '{when: [always]}', ['when should be a string', 'when should be one of: on_success, on_failure, always']],
    ['an unparsable expire_in', '{expire_in: 7 elephants}', ['expire in should be a duration']],
    ['an integer expire_in', '{expire_in: 1}', ['expire in should be a duration']],
    ['an unknown access', '{access: maintainer}', ['access should be one of: none, developer, all']],
    ['public with access', '{public: true, access: all}', ['config these keys cannot be used together: public, access']],
    ['public as a string', '{public: "no"}', ['public should be a boolean value']],
    ['expose_as without paths', '{expose_as: Report}', ["paths can't be blank"]],
    ['expose_as with a wildcard path', "{expose_as: Report, paths: ['*.xml']}", ["paths can't contain '*' when used with 'expose_as'"]],
    ['expose_as with a colon', '{expose_as: "Report: x", paths: [a]}', ["expose as can contain only letters, digits, '-', '_' and spaces"]],
    ['expose_as of 101 characters', `{expose_as: ${'r'.repeat(101)}, paths: [a]}`, ['expose as is too long (maximum is 100 characters)']],
    ['reports as a list', '{reports: [junit]}', ['reports should be a hash', ':reports config should be a hash']],
    [
      'an unknown report type',
      '{reports: {junit: a.xml, cobertura: c.xml, bogus: b}}',
      [':reports config contains unknown keys: cobertura, bogus'],
    ],
    ['a report path that is a hash', '{reports: {junit: {a: b}}}', [':reports junit should be an array of strings or a string']],
    [
      'a coverage report of an unknown format',
      '{reports: {coverage_report: {coverage_format: lcov, path: c}}}',
      [':reports:coverage_report coverage format must be one of supported formats: cobertura, jacoco.'],
    ],
    [
      'a coverage report without a path',
      '{reports: {coverage_report: {coverage_format: jacoco}}}',
      [":reports:coverage_report path can't be blank"],
    ],
  ])('rejects %s', (_case, artifacts, errors) => {
    expect(errorsOf(`job: {script: x, artifacts: ${artifacts}}`)).toEqual(
      errors.map((error) => (error.startsWith(':') ? `jobs:job:artifacts${error}` : `jobs:job:artifacts ${error}`)),
    );
  });

  it('is inherited from default:', () => {
    expect(parseCiConfig('default: {artifacts: {paths: [a]}}\njob: {script: x}', { optInJwt: true }).jobs[0].artifacts?.paths).toEqual([
      'a',
    ]);
  });
});
