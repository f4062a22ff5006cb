/** The `.gitlab-ci.yml` files the scenarios run. */

const ID_TOKENS_DEFAULT = [
  'default:',
  '  id_tokens:',
  '    VAULT_ID_TOKEN:',
  '      aud: https://vault.example.com',
  '    AWS_ID_TOKEN:',
  '      aud: [sts.amazonaws.com, https://bench.example.com/$CI_PROJECT_PATH]',
];

const pad = (index: number) => String(index + 1).padStart(4, '0');

/** `jobs` jobs in the one `test` stage; with `idTokens`, each job declares two ID tokens (through `default:`). */
export function pickupYaml(jobs: number, idTokens: boolean): string {
  const lines = idTokens ? [...ID_TOKENS_DEFAULT] : [];
  for (let index = 0; index < jobs; index++) lines.push(`job_${pad(index)}:`, `  script: echo ${index + 1}`);
  return lines.join('\n') + '\n';
}

/** A typical 50-job file: three stages, variables, two ID tokens, deploy jobs with environments. */
export function pipelineYaml(jobs: number): string {
  const lines = ['stages: [build, test, deploy]', 'variables:', '  GLOBAL_FLAG: "1"', ...ID_TOKENS_DEFAULT];
  for (let index = 0; index < jobs; index++) {
    const stage = index < jobs * 0.3 ? 'build' : index < jobs * 0.9 ? 'test' : 'deploy';
    lines.push(`${stage}_${pad(index)}:`, `  stage: ${stage}`, '  variables:', `    JOB_INDEX: "${index + 1}"`, '  script:', `    - echo ${stage} ${index + 1}`, '    - make check');
    if (stage === 'deploy') lines.push(`  environment: review/env-${index + 1}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * A large but valid file of at least `minBytes`: a hidden template with `extends`, multi-line scripts and per-job
 * variables and ID tokens, the shape of a big monorepo's configuration.
 */
export function largeLintYaml(minBytes: number): string {
  const lines = [
    'stages: [build, test, deploy]',
    'variables:',
    '  REGISTRY: registry.example.com/acme',
    '.base:',
    '  timeout: 30m',
    '  variables:',
    '    BASE_FLAG: "true"',
  ];
  let bytes = lines.join('\n').length;
  for (let index = 0; bytes < minBytes; index++) {
    const stage = ['build', 'test', 'deploy'][index % 3];
    const job = [
      `${stage}_component_${pad(index)}:`,
      '  extends: .base',
      `  stage: ${stage}`,
      '  variables:',
      `    COMPONENT: component-${index + 1}`,
      `    IMAGE_TAG: "$CI_COMMIT_SHA-${index + 1}"`,
      '  id_tokens:',
      '    ID_TOKEN:',
      `      aud: https://service-${index + 1}.example.com`,
      '  script:',
      `    - echo "building component ${index + 1} of the monorepo"`,
      `    - make -C components/component-${index + 1} ${stage}`,
      `    - ./scripts/report.sh --component component-${index + 1} --stage ${stage}`,
    ];
    lines.push(...job);
    bytes += job.join('\n').length + 1;
  }
  return lines.join('\n') + '\n';
}
