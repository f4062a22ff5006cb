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
