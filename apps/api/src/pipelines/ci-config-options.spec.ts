import { parseCiConfig } from '@lanyard/ci-config';
import { KEYWORDS_NOT_CARRIED_OUT, ciConfigOptions } from './ci-config-options';

describe('KEYWORDS_NOT_CARRIED_OUT', () => {
  it('lists exactly what pipelines do not carry out yet', () => {
    expect(KEYWORDS_NOT_CARRIED_OUT).toEqual(['include']);
  });

  it('lets rules, workflow, only and except through, and refuses include with GitLab’s message', () => {
    const accepted = parseCiConfig(
      'workflow:\n  rules: [{ when: always }]\na:\n  script: x\n  rules: [{ if: $CI_COMMIT_TAG }]\nb:\n  script: x\n  only: [main]\n  except: [tags]\n',
      ciConfigOptions(true),
    );
    expect([accepted.valid, accepted.errors]).toEqual([true, []]);
    expect(parseCiConfig('include: other.yml\na:\n  script: x\n', ciConfigOptions(true)).errors).toEqual([
      'root config contains unsupported keys: include',
    ]);
  });
});
