import { parseCiConfig } from '@lanyard/ci-config';
import { ciConfigOptions } from './ci-config-options';

describe(ciConfigOptions.name, () => {
  it('lets rules, workflow, only and except through', () => {
    const accepted = parseCiConfig(
      'workflow:\n  rules: [{ when: always }]\na:\n  script: x\n  rules: [{ if: $CI_COMMIT_TAG }]\nb:\n  script: x\n  only: [main]\n  except: [tags]\n',
      ciConfigOptions(true),
    );
    expect([accepted.valid, accepted.errors]).toEqual([true, []]);
  });

  it('leaves include to the parse that has a repository: without one it is refused, never ignored', () => {
    expect(parseCiConfig('include: other.yml\na:\n  script: x\n', ciConfigOptions(true)).errors).toEqual([
      'root config contains unsupported keys: include',
    ]);
  });
});
