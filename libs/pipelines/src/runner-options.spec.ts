import { parseCiConfig } from '@lanyard/ci-config';
import { type DependencyCandidate, buildRunnerJobSpec, runnerOptionsOf } from '.';

const CONFIG = `
stages: [build, test]
default:
  before_script: [bundle install]
  after_script: [echo done]
compile:
  stage: build
  script: [make]
lint:
  stage: build
  script: [lint]
test:
  stage: test
  image: { name: ruby:3.3, entrypoint: [""], pull_policy: if-not-present }
  services: [ { name: postgres:16, alias: db, variables: { POSTGRES_PASSWORD: x } } ]
  script: [bundle exec rspec]
  cache: { key: gems, paths: [vendor/ruby] }
  artifacts: { paths: [coverage/], expire_in: 1 week, reports: { junit: rspec.xml } }
  dependencies: [compile]
`;

const jobs = parseCiConfig(CONFIG, { optInJwt: true }).jobs;
const test = jobs.find((job) => job.name === 'test')!;
const candidates: DependencyCandidate[] = [
  { id: 1, name: 'compile', stageIdx: 1, artifactsFile: null },
  { id: 2, name: 'lint', stageIdx: 1, artifactsFile: null },
];

describe(buildRunnerJobSpec.name, () => {
  it('builds every job-specific field of the reference’s example payload (§9.9) from the kept options', () => {
    const spec = buildRunnerJobSpec({
      script: test.script,
      options: runnerOptionsOf(test, { cacheKeys: ['gems'], tags: [] }),
      stageIdx: 2,
      timeoutSeconds: 3600,
      protectedRef: true,
      jobToken: 'glcbt-running',
      dependencyCandidates: candidates,
    });
    expect(spec).toEqual({
      steps: [
        { name: 'script', script: ['bundle install', 'bundle exec rspec'], timeout: 3600, when: 'on_success', allow_failure: false },
        { name: 'after_script', script: ['echo done'], timeout: 3600, when: 'always', allow_failure: true },
      ],
      image: { name: 'ruby:3.3', entrypoint: [''], ports: [], executor_opts: {}, pull_policy: ['if-not-present'] },
      services: [
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
      ],
      artifacts: [
        { name: null, paths: ['coverage/'], when: null, expire_in: '1 week', artifact_type: 'archive', artifact_format: 'zip' },
        { name: 'junit.xml', paths: ['rspec.xml'], when: 'always', expire_in: '1 week', artifact_type: 'junit', artifact_format: 'gzip' },
      ],
      cache: [
        { key: 'gems-protected', untracked: null, paths: ['vendor/ruby'], policy: 'pull-push', when: 'on_success', fallback_keys: [] },
      ],
      dependencies: [{ id: 1, name: 'compile', token: 'glcbt-running' }],
    });
  });

  it('sends the script alone, no image and null artifacts, for a job kept without options', () => {
    const spec = buildRunnerJobSpec({
      script: ['make'],
      options: null,
      stageIdx: 1,
      timeoutSeconds: 60,
      protectedRef: false,
      jobToken: 't',
      dependencyCandidates: candidates,
    });
    expect(spec).toEqual({
      steps: [{ name: 'script', script: ['make'], timeout: 60, when: 'on_success', allow_failure: false }],
      image: null,
      services: [],
      artifacts: null,
      cache: [],
      dependencies: [],
    });
  });

  it('survives a JSON round trip: what the metadata column keeps builds the same payload', () => {
    const options = runnerOptionsOf(test, { cacheKeys: ['gems'], tags: ['docker'] });
    const input = { script: test.script, stageIdx: 2, timeoutSeconds: 1, protectedRef: false, jobToken: 't', dependencyCandidates: [] };
    expect(buildRunnerJobSpec({ ...input, options: JSON.parse(JSON.stringify(options)) })).toEqual(
      buildRunnerJobSpec({ ...input, options }),
    );
  });
});
