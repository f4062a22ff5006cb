import { IdTokenError } from './errors';
import { RECLAIMED_PATH_MESSAGE, type ReclaimedPathFacts, assertNotOnReclaimedPath } from './reclaimed-paths';

const facts = (reclaimed: Partial<ReclaimedPathFacts['reclaimed']>, blockJwtForReclaimedPaths = true): ReclaimedPathFacts => ({
  reclaimed: { project_path: false, job_project_path: false, ...reclaimed },
  blockJwtForReclaimedPaths,
});

function refusal(given: ReclaimedPathFacts): { code: string; field: string; message: string } | null {
  try {
    assertNotOnReclaimedPath(given);
    return null;
  } catch (error) {
    if (!(error instanceof IdTokenError)) throw error;
    return { code: error.code, field: error.field, message: error.message };
  }
}

describe(assertNotOnReclaimedPath.name, () => {
  it.each<[string, ReclaimedPathFacts, string | null]>([
    ['the project the code comes from on a reclaimed path', facts({ project_path: true }), 'project_path'],
    ['the project the job runs in on a reclaimed path', facts({ job_project_path: true }), 'job_project_path'],
    ['both', facts({ project_path: true, job_project_path: true }), 'project_path'],
    ['no path given up by another project (or released for this one)', facts({}), null],
    ['a reclaimed path with block_jwt_for_reclaimed_paths off', facts({ project_path: true, job_project_path: true }, false), null],
  ])('%s', (_case, given, field) => {
    expect(refusal(given)).toEqual(field === null ? null : { code: 'ERR_PATH_RECLAIMED', field, message: RECLAIMED_PATH_MESSAGE });
  });

  it('says why no sub helps, and how an admin restores the tokens', () => {
    expect(RECLAIMED_PATH_MESSAGE).toBe(
      "ID token issuance is disabled in CI because this project's path was previously used by a different project: " +
        "its tokens would carry that project's project_path, namespace_path and ci_config_ref_uri, whatever the sub. " +
        'An administrator can restore ID tokens for this project by releasing the path for it ' +
        '(POST /api/v4/admin/ci/reclaimed_paths/release) once no relying party trusts the previous project.',
    );
  });
});
