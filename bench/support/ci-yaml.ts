/** The `.gitlab-ci.yml` files the scenarios run. */

const ID_TOKENS_DEFAULT = [
  'default:',
  '  id_tokens:',
  '    VAULT_ID_TOKEN:',
  '      aud: https://vault.example.com',
  '    AWS_ID_TOKEN:',
  '      aud: [sts.amazonaws.com, https://bench.example.com/$CI_PROJECT_PATH]',
];

const pad = (index: number) => String(index + 1).padStart(5, '0');

/** `jobs` jobs in the one `test` stage, each with two ID tokens (through `default:`). */
export function pickupYaml(jobs: number): string {
  const lines = [...ID_TOKENS_DEFAULT];
  for (let index = 0; index < jobs; index++) lines.push(`job_${pad(index)}:`, `  script: echo ${index + 1}`);
  return lines.join('\n') + '\n';
}

/** A big monorepo's file: `jobs` jobs over three stages, each extending a hidden template and declaring 2 ID tokens. */
export function lintYaml(jobs: number): string {
  const lines = [
    'stages: [build, test, deploy]',
    'variables:',
    '  REGISTRY: registry.example.com/acme',
    '.base:',
    '  timeout: 30m',
    '  variables:',
    '    BASE_FLAG: "true"',
    '  script:',
    '    - make check',
  ];
  for (let index = 0; index < jobs; index++) {
    const stage = ['build', 'test', 'deploy'][index % 3];
    lines.push(
      `${stage}_component_${pad(index)}:`,
      '  extends: .base',
      `  stage: ${stage}`,
      '  variables:',
      `    COMPONENT: component-${index + 1}`,
      '  id_tokens:',
      '    VAULT_ID_TOKEN:',
      `      aud: https://vault-${index % 7}.example.com`,
      '    SERVICE_ID_TOKEN:',
      `      aud: [https://service-${index + 1}.example.com, https://bench.example.com/$CI_PROJECT_PATH]`,
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * A monorepo's pipeline as real ones are written: the root file sets `workflow:` rules and includes four local files
 * (a hidden template, then build, test and deploy jobs); every job `extends` the template and has `rules:`; test and
 * deploy jobs `needs` their component's previous job. `components` × 3 jobs plus one `lint` job. In a branch
 * pipeline every tenth deploy job (tag-only) is not created, and nothing needs those.
 */
export function creationFiles(components: number): Record<string, string> {
  const files: Record<string, string> = {
    '.gitlab-ci.yml': [
      'workflow:',
      '  rules:',
      '    - if: $CI_COMMIT_MESSAGE =~ /\\[draft\\]/',
      '      when: never',
      '    - if: $CI_PIPELINE_SOURCE == "merge_request_event" || $CI_COMMIT_BRANCH || $CI_COMMIT_TAG',
      'stages: [build, test, deploy]',
      'include:',
      '  - local: ci/templates.yml',
      '  - local: ci/build.yml',
      '  - local: ci/test.yml',
      '  - local: ci/deploy.yml',
      'lint:',
      '  extends: .base',
      '  stage: test',
      '  script: [make lint]',
      '',
    ].join('\n'),
    'ci/templates.yml': [
      '.base:',
      '  timeout: 30m',
      '  variables:',
      '    BASE_FLAG: "true"',
      '  script:',
      '    - make check',
      '  id_tokens:',
      '    VAULT_ID_TOKEN:',
      '      aud: https://vault.example.com',
      '',
    ].join('\n'),
  };
  const stage = (name: string, job: (index: number) => string[]) => {
    const lines: string[] = [];
    for (let index = 0; index < components; index++) lines.push(...job(index));
    files[`ci/${name}.yml`] = lines.join('\n') + '\n';
  };
  stage('build', (index) => [
    `build_${pad(index)}:`,
    '  extends: .base',
    '  stage: build',
    '  rules:',
    '    - if: $CI_PIPELINE_SOURCE == "merge_request_event"',
    `      changes: [components/${pad(index)}/**/*]`,
    '    - if: $CI_COMMIT_BRANCH || $CI_COMMIT_TAG',
  ]);
  stage('test', (index) => [
    `test_${pad(index)}:`,
    '  extends: .base',
    '  stage: test',
    `  needs: [build_${pad(index)}]`,
    '  rules:',
    '    - if: $CI_COMMIT_BRANCH =~ /^(main|release\\/.*)$/ || $CI_PIPELINE_SOURCE == "merge_request_event"',
    '    - if: $CI_COMMIT_TAG',
  ]);
  stage('deploy', (index) => [
    `deploy_${pad(index)}:`,
    '  extends: .base',
    '  stage: deploy',
    `  needs: [test_${pad(index)}]`,
    '  rules:',
    index % 10 === 0 ? '    - if: $CI_COMMIT_TAG' : '    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH',
    '      variables:',
    `        TARGET: component-${index + 1}`,
  ]);
  return files;
}

/** How many jobs `creationFiles(components)` creates in a pipeline for the default branch. */
export function creationJobsOnDefaultBranch(components: number): number {
  return components * 3 + 1 - Math.ceil(components / 10);
}
