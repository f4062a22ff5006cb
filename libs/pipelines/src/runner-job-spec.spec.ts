import { parseCiConfig } from '@lanyard/ci-config';
import type { JobDefinition } from '@lanyard/ci-config';
import { type JobContext, buildPredefinedVariables } from './predefined-variables';
import { buildRunnerArtifacts, buildRunnerCaches, cacheKeyWithSuffix, seedCacheKey } from './runner-artifacts';
import { buildRunnerDependencies, selectDependencies } from './runner-dependencies';
import { buildRunnerImage, buildRunnerServices, buildRunnerSteps } from './runner-job-spec';

/** The job of the reference's example payload (gitlab-ci-keywords.md §9.9). */
const EXAMPLE = `
test:
  image: { name: ruby:3.3, entrypoint: [""], pull_policy: if-not-present }
  services: [ { name: postgres:16, alias: db, variables: { POSTGRES_PASSWORD: x } } ]
  before_script: [bundle install]
  script: [bundle exec rspec]
  after_script: [echo done]
  cache: { key: gems, paths: [vendor/ruby] }
  artifacts: { paths: [coverage/], expire_in: 1 week, reports: { junit: rspec.xml } }
`;

function jobOf(yaml: string): JobDefinition {
  const result = parseCiConfig(yaml, { optInJwt: true });
  expect(result.errors).toEqual([]);
  return result.jobs[0];
}

describe('runner payload pieces, against the reference’s example payload (§9.9)', () => {
  const job = jobOf(EXAMPLE);

  it(`${buildRunnerSteps.name}: before_script joins the script step; after_script is its own step that always runs`, () => {
    expect(buildRunnerSteps(job, 3600)).toEqual([
      { name: 'script', script: ['bundle install', 'bundle exec rspec'], timeout: 3600, when: 'on_success', allow_failure: false },
      { name: 'after_script', script: ['echo done'], timeout: 3600, when: 'always', allow_failure: true },
    ]);
  });

  it(`${buildRunnerImage.name}`, () => {
    expect(buildRunnerImage(job.image)).toEqual({
      name: 'ruby:3.3',
      entrypoint: [''],
      ports: [],
      executor_opts: {},
      pull_policy: ['if-not-present'],
    });
  });

  it(`${buildRunnerServices.name}`, () => {
    expect(buildRunnerServices(job.services)).toEqual([
      {
        name: 'postgres:16',
        entrypoint: null,
        ports: [],
        executor_opts: {},
        pull_policy: null,
        alias: 'db',
        command: null,
        variables: [{ key: 'POSTGRES_PASSWORD', value: 'x' }],
      },
    ]);
  });

  it(`${buildRunnerArtifacts.name}`, () => {
    expect(buildRunnerArtifacts(job.artifacts)).toEqual([
      { name: null, paths: ['coverage/'], when: null, expire_in: '1 week', artifact_type: 'archive', artifact_format: 'zip' },
      { name: 'junit.xml', paths: ['rspec.xml'], when: 'always', expire_in: '1 week', artifact_type: 'junit', artifact_format: 'gzip' },
    ]);
  });

  it(`${buildRunnerCaches.name}: on a protected ref with separated caches`, () => {
    const keys = job.cache.map((cache, i) => seedCacheKey(cache, i, null));
    expect(buildRunnerCaches(job.cache, keys, { jobsCacheIndex: null, separatedCaches: true, protectedRef: true })).toEqual([
      { key: 'gems-protected', untracked: null, paths: ['vendor/ruby'], policy: 'pull-push', when: 'on_success', fallback_keys: [] },
    ]);
  });

  it('has the JSON shape the runner decodes (field names of spec.Step, spec.Image, spec.Artifact, spec.Cache)', () => {
    expect(Object.keys(buildRunnerSteps(job, 1)[0])).toEqual(['name', 'script', 'timeout', 'when', 'allow_failure']);
    expect(Object.keys(buildRunnerServices(job.services)[0])).toEqual([
      'name',
      'entrypoint',
      'ports',
      'executor_opts',
      'pull_policy',
      'alias',
      'command',
      'variables',
    ]);
    expect(Object.keys((buildRunnerArtifacts(job.artifacts) ?? [])[0])).toEqual([
      'name',
      'paths',
      'when',
      'expire_in',
      'artifact_type',
      'artifact_format',
    ]);
    expect(
      Object.keys(buildRunnerCaches(job.cache, ['k'], { jobsCacheIndex: null, separatedCaches: false, protectedRef: false })[0]),
    ).toEqual(['key', 'untracked', 'paths', 'policy', 'when', 'fallback_keys']);
  });
});

describe(buildRunnerSteps.name, () => {
  it('sends only the script step without after_script, and an empty after_script step for after_script: []', () => {
    expect(buildRunnerSteps(jobOf('j: {script: [a]}'), 60).map((step) => step.name)).toEqual(['script']);
    expect(buildRunnerSteps(jobOf('j: {script: [a], after_script: []}'), 60)[1]).toEqual({
      name: 'after_script',
      script: [],
      timeout: 60,
      when: 'always',
      allow_failure: true,
    });
  });
});

describe(buildRunnerImage.name, () => {
  it('is null without an image and carries executor options', () => {
    expect(buildRunnerImage(null)).toBeNull();
    expect(buildRunnerImage(jobOf('j: {script: x, image: {name: a, docker: {platform: arm64, user: u}}}').image)).toEqual({
      name: 'a',
      entrypoint: null,
      ports: [],
      executor_opts: { docker: { platform: 'arm64', user: 'u' } },
      pull_policy: null,
    });
  });
});

describe(buildRunnerArtifacts.name, () => {
  it.each([
    ['no artifacts:', 'j: {script: x}', null],
    [
      'reports only: no archive',
      'j: {script: x, artifacts: {reports: {dotenv: build.env}}}',
      [{ name: '.env', paths: ['build.env'], when: 'always', expire_in: null, artifact_type: 'dotenv', artifact_format: 'gzip' }],
    ],
    [
      'untracked and exclude',
      'j: {script: x, artifacts: {untracked: true, exclude: [a], when: on_failure, name: out}}',
      [
        {
          name: 'out',
          untracked: true,
          paths: [],
          exclude: ['a'],
          when: 'on_failure',
          expire_in: null,
          artifact_type: 'archive',
          artifact_format: 'zip',
        },
      ],
    ],
    [
      'a coverage report',
      'j: {script: x, artifacts: {reports: {coverage_report: {coverage_format: jacoco, path: j.xml}}}}',
      [
        {
          name: 'jacoco-coverage.xml',
          paths: ['j.xml'],
          when: 'always',
          expire_in: null,
          artifact_type: 'jacoco',
          artifact_format: 'gzip',
        },
      ],
    ],
  ])('builds %s', (_case, yaml, expected) => {
    expect(buildRunnerArtifacts(jobOf(yaml).artifacts)).toEqual(expected);
  });
});

describe(cacheKeyWithSuffix.name, () => {
  it.each([
    ['a protected ref', 'deps', false, { jobsCacheIndex: null, separatedCaches: true, protectedRef: true }, 'deps-protected'],
    ['an unprotected ref', 'deps', false, { jobsCacheIndex: null, separatedCaches: true, protectedRef: false }, 'deps-non_protected'],
    [
      'unprotect: true on a protected ref',
      'deps',
      true,
      { jobsCacheIndex: null, separatedCaches: true, protectedRef: true },
      'deps-non_protected',
    ],
    ['cleared caches', 'deps', false, { jobsCacheIndex: 3, separatedCaches: true, protectedRef: false }, 'deps-3-non_protected'],
    ['separated caches off', 'deps', false, { jobsCacheIndex: 3, separatedCaches: false, protectedRef: true }, 'deps-3'],
  ])('suffixes a key on %s', (_case, key, unprotect, context, expected) => {
    expect(cacheKeyWithSuffix(key, unprotect, context)).toBe(expected);
  });

  it('suffixes the fallback keys too, and seeds key:files keys from the prefix or the index', () => {
    const job = jobOf(
      'j: {script: x, cache: [{key: a, fallback_keys: [main]}, {key: {files: [Gemfile.lock]}}, {key: {files: [x], prefix: p}}]}',
    );
    expect(job.cache.map((cache, i) => seedCacheKey(cache, i, i === 1 ? 'abc123' : null))).toEqual(['a', '1-abc123', 'p-default']);
    const caches = buildRunnerCaches(job.cache, ['a', '1-abc123', 'p-default'], {
      jobsCacheIndex: null,
      separatedCaches: true,
      protectedRef: false,
    });
    expect(caches.map((cache) => [cache.key, cache.fallback_keys])).toEqual([
      ['a-non_protected', ['main-non_protected']],
      ['1-abc123-non_protected', []],
      ['p-default-non_protected', []],
    ]);
  });
});

describe(selectDependencies.name, () => {
  const candidates = [
    { id: 1, name: 'build', stageIdx: 0, artifactsFile: { filename: 'artifacts.zip', size: 10 } },
    { id: 2, name: 'lint', stageIdx: 0, artifactsFile: null },
    { id: 3, name: 'test', stageIdx: 1, artifactsFile: null },
  ];
  it.each([
    ['every earlier-stage job by default', { needs: null, dependencies: null, stageIdx: 1 }, [1, 2]],
    ['none for dependencies: []', { needs: null, dependencies: [], stageIdx: 1 }, []],
    ['the named ones', { needs: null, dependencies: ['lint'], stageIdx: 1 }, [2]],
    [
      'the needs with artifacts',
      {
        needs: [
          { job: 'build', artifacts: true, optional: false },
          { job: 'lint', artifacts: false, optional: false },
        ],
        dependencies: null,
        stageIdx: 2,
      },
      [1],
    ],
    ['needs: [] downloads nothing', { needs: [], dependencies: null, stageIdx: 2 }, []],
  ])('takes %s', (_case, job, ids) => {
    expect(selectDependencies(job, candidates).map((candidate) => candidate.id)).toEqual(ids);
  });

  it(`${buildRunnerDependencies.name}: the running job's token, artifacts_file only when there is one`, () => {
    expect(buildRunnerDependencies(candidates.slice(0, 2), 'glcbt-running')).toEqual([
      { id: 1, name: 'build', token: 'glcbt-running', artifacts_file: { filename: 'artifacts.zip', size: 10 } },
      { id: 2, name: 'lint', token: 'glcbt-running' },
    ]);
  });
});

describe('CI_NODE_INDEX and CI_NODE_TOTAL', () => {
  const context = (parallel?: { index: number; total: number }): JobContext => ({
    serverUrl: 'https://ci.example.com',
    job: {
      id: 1,
      name: 'test 2/3',
      stage: 'test',
      token: 't',
      timeoutSeconds: 60,
      script: ['x'],
      startedAt: '2026-01-01T00:00:00.000Z',
      parallel,
    },
    pipeline: {
      id: 1,
      iid: 1,
      source: 'push',
      createdAt: '2026-01-01T00:00:00.000Z',
      sha: 'a'.repeat(40),
      beforeSha: '0'.repeat(40),
      ref: 'main',
      refType: 'branch',
      refProtected: false,
    },
    project: {
      id: 1,
      name: 'p',
      path: 'p',
      fullPath: 'g/p',
      namespaceId: 1,
      namespaceFullPath: 'g',
      rootNamespaceId: 1,
      rootNamespacePath: 'g',
      visibility: 'private',
      defaultBranch: 'main',
    },
    user: null,
    runner: { id: 1, description: 'r' },
    environment: null,
  });
  const nodes = (job: JobContext) =>
    buildPredefinedVariables(job)
      .filter((variable) => variable.key.startsWith('CI_NODE_'))
      .map((variable) => [variable.key, variable.value]);

  it('are the index and total of a parallel job, and a total of 1 otherwise (GitLab)', () => {
    expect(nodes(context({ index: 2, total: 3 }))).toEqual([
      ['CI_NODE_INDEX', '2'],
      ['CI_NODE_TOTAL', '3'],
    ]);
    expect(nodes(context())).toEqual([['CI_NODE_TOTAL', '1']]);
  });
});
