import { subClaimMintingProblem, subClaimSettingWarnings } from './sub-claim-warnings';

const REF_WITHOUT_TYPE =
  'ci_id_token_sub_claim_components has ref but not ref_type: a tag and a branch with the same name (a tag named ' +
  'main and the protected branch main) get the same sub; add ref_type';

describe(subClaimSettingWarnings.name, () => {
  it.each<[readonly string[], string[]]>([
    [['project_path', 'ref_type', 'ref'], []],
    [['project_path', 'ref', 'ref_type'], []],
    [['project_path'], []],
    [['project_id', 'ref_protected'], []],
    [['project_path', 'ref'], [REF_WITHOUT_TYPE]],
    [['project_id', 'ref', 'ref_protected', 'environment'], [REF_WITHOUT_TYPE]],
  ])('%j → %j', (components, warnings) => {
    expect(subClaimSettingWarnings(components)).toEqual(warnings);
  });
});

describe(subClaimMintingProblem.name, () => {
  it.each<[readonly string[], string | null]>([
    [['project_path', 'ref_type', 'ref'], null],
    [['job_project_id', 'ref'], null],
    [
      ['namespace_path', 'ref'],
      'the sub claim components in force (namespace_path, ref) are invalid: ' +
        'project_path, project_id, job_project_path or job_project_id must be the first element of the sub claim',
    ],
    [
      ['namespace_id', 'namespace_id'],
      'the sub claim components in force (namespace_id, namespace_id) are invalid: ' +
        'project_path, project_id, job_project_path or job_project_id must be the first element of the sub claim; duplicate component namespace_id',
    ],
  ])('%j → %j', (components, problem) => {
    expect(subClaimMintingProblem(components)).toBe(problem);
  });
});
