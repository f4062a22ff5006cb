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
    [['job_project_id', 'ref', 'ref_protected'], [REF_WITHOUT_TYPE]],
    [['job_project_path', 'ref_type', 'ref', 'ref_protected'], []],
    [['job_project_id', 'ref_type', 'ref', 'pipeline_source'], []],
    [['job_project_path', 'project_path', 'ref_type', 'ref'], []],
    [['job_project_id', 'project_id', 'ref_type', 'ref'], []],
  ])('%j → %j', (components, warnings) => {
    expect(subClaimSettingWarnings(components)).toEqual(warnings);
  });
});

describe(subClaimMintingProblem.name, () => {
  it.each<[readonly string[], string | null]>([
    [['project_path', 'ref_type', 'ref'], null],
    [['job_project_id', 'ref', 'ref_protected'], null],
    [
      ['job_project_id', 'ref'],
      'the sub claim components in force (job_project_id, ref) are invalid: job_project_id must be followed by one of ' +
        "project_path, project_id, ref_protected or pipeline_source: a merge-request pipeline from a fork runs in this project, and without one of them a fork branch named main gets the protected main's sub (gitlab#548165)",
    ],
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
