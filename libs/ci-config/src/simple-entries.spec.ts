import { parseCoverage, parseInterruptible, parseResourceGroup, parseTags } from './simple-entries';
import { parseCiConfig } from './index';
import type { JobDefinition } from './index';

const errorsOf = (yaml: string): string[] => parseCiConfig(yaml, { optInJwt: true }).errors;
const jobOf = (yaml: string): JobDefinition => {
  const result = parseCiConfig(yaml, { optInJwt: true });
  expect(result.errors).toEqual([]);
  return result.jobs[0];
};

describe(parseTags.name, () => {
  it('accepts up to 49 tags, and takes them from default: unless the job sets its own', () => {
    expect(jobOf('job: {script: x, tags: [docker, linux]}').tags).toEqual(['docker', 'linux']);
    expect(jobOf(`job: {script: x, tags: [${Array.from({ length: 49 }, (_, i) => `t${i}`).join(', ')}]}`).tags).toHaveLength(49);
    expect(jobOf('default: {tags: [shared]}\njob: {script: x}').tags).toEqual(['shared']);
    expect(jobOf('default: {tags: [shared]}\njob: {script: x, tags: [own]}').tags).toEqual(['own']);
  });

  it.each([
    ['a string (GitLab’s spec)', 'mysql', ['jobs:job:tags config should be an array of strings']],
    ['a number in the list', '[a, 1]', ['jobs:job:tags config should be an array of strings']],
    [
      '50 tags',
      `[${Array.from({ length: 50 }, (_, i) => `t${i}`).join(', ')}]`,
      ['jobs:job:tags config must be less than the limit of 50 tags'],
    ],
  ])('rejects %s', (_case, tags, errors) => {
    expect(errorsOf(`job: {script: x, tags: ${tags}}`)).toEqual(errors);
  });
});

describe(parseInterruptible.name, () => {
  it('reads a boolean, false by default, inherited from default:', () => {
    expect(jobOf('job: {script: x}').interruptible).toBe(false);
    expect(jobOf('job: {script: x, interruptible: true}').interruptible).toBe(true);
    expect(jobOf('default: {interruptible: true}\njob: {script: x}').interruptible).toBe(true);
  });

  it('rejects anything else', () => {
    expect(errorsOf('job: {script: x, interruptible: "yes"}')).toEqual(['jobs:job:interruptible config should be a boolean value']);
  });
});

describe(parseResourceGroup.name, () => {
  it('reads a string and rejects anything else', () => {
    expect(jobOf('job: {script: x, resource_group: production}').resourceGroup).toBe('production');
    expect(errorsOf('job: {script: x, resource_group: [a]}')).toEqual(['jobs:job resource group should be a string']);
  });
});

describe(parseCoverage.name, () => {
  it.each([
    ['a simple pattern', "'/Coverage: \\d+\\.\\d+%/'", 'Coverage: \\d+\\.\\d+%'],
    ['a pattern with a slash inside', "'/lines.*: (\\d+)\\/(\\d+)/'", 'lines.*: (\\d+)\\/(\\d+)'],
    ['flags, folded in', "'/total: (\\d+)%/i'", '(?i)total: (\\d+)%'],
  ])('accepts %s', (_case, coverage, pattern) => {
    expect(jobOf(`job: {script: x, coverage: ${coverage}}`).coverage).toBe(pattern);
  });

  it.each([
    ['no slashes', "'Coverage: \\d+'"],
    ['a lookahead (not RE2)', "'/(?=a)b/'"],
    ['a backreference (not RE2)', "'/(a)\\1/'"],
    ['an unclosed group', "'/(a/'"],
    ['an unknown flag', "'/a/g'"],
    ['a number', '5'],
    ['a list', "['/a/']"],
  ])('rejects %s', (_case, coverage) => {
    expect(errorsOf(`job: {script: x, coverage: ${coverage}}`)).toEqual([
      'jobs:job:coverage config must be a regular expression with re2 syntax',
    ]);
  });
});
