import { IdTokenError } from './errors';
import { assertSubNotOnReclaimedPath, reclaimedPathMessage, type ReclaimedPathFacts } from './reclaimed-paths';
import type { SubClaimComponent } from './sub-claim';

const facts = (reclaimed: Partial<ReclaimedPathFacts['reclaimed']>, blockJwtForReclaimedPaths = true): ReclaimedPathFacts => ({
  reclaimed: { project_path: false, job_project_path: false, ...reclaimed },
  blockJwtForReclaimedPaths,
});

function refusal(components: SubClaimComponent[], given: ReclaimedPathFacts): string | null {
  try {
    assertSubNotOnReclaimedPath(components, given);
    return null;
  } catch (error) {
    if (!(error instanceof IdTokenError)) throw error;
    expect({ code: error.code, field: error.field }).toEqual({ code: 'ERR_SUB_PATH_RECLAIMED', field: 'sub' });
    return error.message;
  }
}

describe(assertSubNotOnReclaimedPath.name, () => {
  it.each<[string, SubClaimComponent[], ReclaimedPathFacts, string | null]>([
    ['the default path-led sub on a reclaimed path', ['project_path', 'ref_type', 'ref'], facts({ project_path: true }), 'project_id'],
    ['a job_project_path-led sub on a reclaimed job project path', ['job_project_path', 'ref'], facts({ job_project_path: true }), 'job_project_id'],
    ['a project_id-led sub on a reclaimed path', ['project_id', 'ref_type', 'ref'], facts({ project_path: true, job_project_path: true }), null],
    ['a job_project_id-led sub on a reclaimed path', ['job_project_id', 'project_path'], facts({ project_path: true, job_project_path: true }), null],
    ['a path-led sub when the path was never given up by another project', ['project_path', 'ref'], facts({}), null],
    ['a project_path-led sub when only the job project path is reclaimed', ['project_path', 'ref'], facts({ job_project_path: true }), null],
    ['a job_project_path-led sub when only the source project path is reclaimed', ['job_project_path'], facts({ project_path: true }), null],
    ['a path that is not the lead (the lead names the project)', ['project_id', 'project_path'], facts({ project_path: true }), null],
    ['the default sub with block_jwt_for_reclaimed_paths off', ['project_path', 'ref_type', 'ref'], facts({ project_path: true }, false), null],
    ['a namespace-led sub (names no project path)', ['namespace_path', 'ref'], facts({ project_path: true }), null],
    ['an empty component list (refused elsewhere)', [], facts({ project_path: true }), null],
  ])('%s', (_case, components, given, replacement) => {
    expect(refusal(components, given)).toBe(replacement === null ? null : reclaimedPathMessage(replacement));
  });

  it('tells the maintainer, in GitLab’s words, to lead sub with the id component', () => {
    expect(reclaimedPathMessage('project_id')).toBe(
      "ID token issuance is disabled in CI because this project's path was previously used by a different project. " +
        'To restore ID tokens, set `ci_id_token_sub_claim_components` to start with `project_id` ' +
        '(for example, `["project_id", "ref_type", "ref"]`) and update your cloud trust policy to match.',
    );
  });
});
