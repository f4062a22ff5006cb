import { DomainError, NoFacts } from '../common/domain-error';
import { PipelineError } from '../pipelines/pipeline-errors';
import { answerFor, ERROR_TABLE, listErrorResponses } from './error-table';

/** Every code the API answers on purpose, with its status: adding, dropping or re-answering one is a deliberate act. */
const EVERY_CODE = [
  'auth.RESOURCE_NOT_VISIBLE 404',
  'auth.ACCESS_LEVEL_TOO_LOW 403',
  'users.USER_NOT_FOUND 404',
  'users.SELF_BLOCK 403',
  'users.USERNAME_TAKEN 409',
  'users.EMAIL_TAKEN 409',
  'users.TOKEN_SCOPE_UNKNOWN 400',
  'users.TOKEN_EXPIRY_NOT_FUTURE 400',
  'users.TOKEN_EXPIRY_TOO_LATE 400',
  'users.TOKEN_OWNER_NOT_FOUND 404',
  'users.TOKEN_NOT_FOUND 404',
  'users.TOKEN_OF_ANOTHER_USER 401',
  'users.TOKEN_REVOKE_NOT_PERMITTED 400',
  'users.TOKEN_ALREADY_REVOKED 400',
  'members.MEMBER_NOT_FOUND 404',
  'members.USER_NOT_FOUND 404',
  'members.MEMBER_EXISTS 409',
  'members.LAST_OWNER 400',
  'members.LEVEL_ABOVE_CALLER 403',
  'runners.GITLAB_HOSTED_ADMIN_ONLY 403',
  'runners.INSTANCE_RUNNER_ADMIN_ONLY 403',
  'runners.ADMIN_ONLY 403',
  'runners.NOTHING_TO_UPDATE 400',
  'runners.RUNNER_TOKEN_REFUSED 403',
  'runners.RUNNER_NOT_FOUND 404',
  'runners.MANAGEMENT_FORBIDDEN 403',
  'runners.GROUP_NOT_FOUND 404',
  'runners.PROJECT_NOT_FOUND 404',
  'runners.TAGS_REQUIRED 400',
  'namespaces.PATH_TAKEN 400',
  'namespaces.PARENT_GROUP_NOT_FOUND 404',
  'namespaces.SUBGROUP_CREATION_FORBIDDEN 403',
  'namespaces.VISIBILITY_ABOVE_PARENT 400',
  'namespaces.VISIBILITY_BELOW_DESCENDANTS 400',
  'namespaces.TRANSFER_TARGET_NOT_FOUND 404',
  'namespaces.TRANSFER_ALREADY_ROOT 400',
  'namespaces.TRANSFER_ALREADY_IN_PARENT 400',
  'namespaces.TRANSFER_PERMISSION_DENIED 400',
  'namespaces.TRANSFER_PATH_TAKEN 400',
  'namespaces.TRANSFER_INTO_OWN_SUBGROUP 400',
  'projects.NAME_OR_PATH_REQUIRED 400',
  'projects.PATH_NOT_DERIVABLE 400',
  'projects.PATH_INVALID 400',
  'projects.PATH_TAKEN 400',
  'projects.FORK_PATH_TAKEN 409',
  'projects.VISIBILITY_ABOVE_GROUP 400',
  'projects.VISIBILITY_ABOVE_FORK_SOURCE 400',
  'projects.OWNER_ONLY_CHANGE 403',
  'projects.OVERRIDE_ROLE_OWNER_CHANGE 400',
  'projects.DEFAULT_BRANCH_MISSING 400',
  'projects.NAMESPACE_NOT_FOUND 404',
  'projects.PROJECT_CREATION_FORBIDDEN 403',
  'projects.FORK_FORBIDDEN 403',
  'projects.TRANSFER_SAME_NAMESPACE 400',
  'projects.TRANSFER_PERMISSION_DENIED 400',
  'projects.TRANSFER_NAME_OR_PATH_TAKEN 400',
  'projects.PROJECT_NOT_FOUND 404',
  'projects.RECLAIMED_PATH_NOT_FOUND 404',
  'repository.BRANCH_NOT_FOUND 404',
  'repository.TAG_NOT_FOUND 404',
  'repository.COMMIT_NOT_FOUND 404',
  'repository.FILE_NOT_FOUND 404',
  'repository.TREE_NOT_FOUND 404',
  'repository.BRANCH_NAME_INVALID 400',
  'repository.BRANCH_EXISTS 400',
  'repository.BRANCH_START_INVALID 400',
  'repository.PUSH_FORBIDDEN 403',
  'repository.DEFAULT_BRANCH_UNDELETABLE 403',
  'repository.PROTECTED_BRANCH_UNDELETABLE 403',
  'repository.TAG_NAME_INVALID 400',
  'repository.TAG_EXISTS 400',
  'repository.TAG_TARGET_INVALID 400',
  'repository.PROTECTED_TAG_FORBIDDEN 403',
  'repository.PROTECTED_REF_NOT_FOUND 404',
  'repository.PROTECTED_REF_EXISTS 409',
  'repository.PROTECTED_REF_PATTERN_INVALID 400',
  'repository.BRANCH_EXISTS_FOR_START_BRANCH 400',
  'repository.START_BRANCH_MISSING 400',
  'repository.FILE_TO_UPDATE_MISSING 400',
  'repository.FILE_EXISTS 400',
  'repository.DIRECTORY_EXISTS 400',
  'repository.CONTENT_NOT_BASE64 400',
  'repository.CONTENT_TOO_LARGE 400',
  'repository.REF_MOVED 400',
  'merge-requests.MERGE_REQUEST_NOT_FOUND 404',
  'merge-requests.TARGET_PROJECT_NOT_FOUND 404',
  'merge-requests.NOT_A_FORK_OF_TARGET 422',
  'merge-requests.SAME_SOURCE_AND_TARGET 422',
  'merge-requests.SOURCE_BRANCH_MISSING 400',
  'merge-requests.TARGET_BRANCH_MISSING 400',
  'merge-requests.OPEN_DUPLICATE 422',
  'merge-requests.READ_FORBIDDEN 403',
  'merge-requests.UPDATE_FORBIDDEN 403',
  'merge-requests.SOURCE_PROJECT_DELETED 405',
  'merge-requests.PIPELINE_NOT_ALLOWED 405',
  'environments.ENVIRONMENT_NOT_FOUND 404',
  'environments.NAME_TAKEN 400',
  'environments.NAME_INVALID 400',
  'environments.PROTECTED_ENVIRONMENT_NOT_FOUND 404',
  'environments.PROTECTED_ENVIRONMENT_EXISTS 409',
  'environments.DEPLOY_USER_MISSING 400',
  'environments.DEPLOY_GROUP_MISSING 400',
  'pipelines.PIPELINE_NOT_CREATED 400',
  'pipelines.PIPELINE_NOT_FOUND 404',
  'pipelines.LATEST_PIPELINE_NOT_FOUND 403',
  'pipelines.PIPELINE_VARIABLES_FORBIDDEN 403',
  'pipelines.JOB_NOT_FOUND 404',
  'pipelines.JOB_PLAY_FORBIDDEN 403',
  'pipelines.JOB_NOT_PLAYABLE 400',
  'pipelines.JOB_UPDATE_FORBIDDEN 403',
  'pipelines.JOB_NOT_RETRYABLE 403',
  'pipelines.JOB_ERASE_FORBIDDEN 403',
  'pipelines.JOB_NOT_ERASABLE 403',
  'pipelines.PIPELINE_UPDATE_FORBIDDEN 403',
  'builds.JOB_TOKEN_REFUSED 403',
  'job-logs.JOB_TOKEN_REFUSED 403',
  'job-logs.CONTENT_RANGE_MISSING 400',
  'job-logs.CONTENT_RANGE_INVALID 400',
  'job-logs.RANGE_NOT_SATISFIABLE 416',
  'job-logs.JOB_NOT_FOUND 404',
  'job-logs.JOB_TOKEN_UNAUTHORIZED 401',
  'lint.CI_CONFIG_NOT_FOUND 404',
  'variables.VARIABLE_NOT_FOUND 404',
  'variables.VARIABLE_AMBIGUOUS 409',
  'variables.VALUE_NOT_MASKABLE 400',
  'variables.KEY_TAKEN 400',
  'ci-settings.SUB_CLAIM_COMPONENTS_INVALID 400',
  'custom-claims.CLAIM_NAME_RESERVED 400',
  'custom-claims.CLAIM_NAME_INVALID 400',
  'custom-claims.CLAIM_NAME_OWNER_NOT_FOUND 404',
  'custom-claims.CLAIM_NAME_OWNER_NOT_TOP_LEVEL 400',
  'custom-claims.CLAIM_NAME_TAKEN 409',
  'custom-claims.CLAIM_NAME_NOT_FOUND 404',
  'custom-claims.STORED_CLAIMS_CONFLICT 409',
  'custom-claims.CLAIMS_INVALID 400',
  'id-tokens.SIGNING_KEY_NOT_FOUND 404',
  'id-tokens.ACTIVATE_NOT_NEXT 400',
  'id-tokens.ACTIVATE_TOO_EARLY 400',
  'id-tokens.RETIRE_ALREADY_RETIRED 400',
  'id-tokens.RETIRE_REVOKED 400',
  'id-tokens.RETIRE_ACTIVE 400',
  'id-tokens.REVOKE_ALREADY_REVOKED 400',
  'id-tokens.REVOKE_ONLY_SIGNER 400',
  'id-token-preview.REF_NOT_FOUND 400',
  'id-token-preview.JOB_NOT_IN_CONFIG 400',
  'id-token-preview.MERGE_REQUEST_WITH_REF 400',
  'id-token-preview.SOURCE_BRANCH_NOT_FOUND 400',
  'id-token-preview.MERGE_REQUEST_REQUIRED 400',
  'id-token-preview.JOB_WOULD_FAIL 422',
  'health.DATABASE_UNREACHABLE 503',
];

describe('ERROR_TABLE', () => {
  it('answers exactly these codes, with these statuses', () => {
    expect(listErrorResponses().map(({ module, code, status }) => `${module}.${code} ${status}`)).toEqual(EVERY_CODE);
  });

  it('gives each module one section', () => {
    const modules = ERROR_TABLE.map((tableSection) => tableSection.module);
    expect(new Set(modules).size).toBe(modules.length);
  });

  it("answers in GitLab's shapes: a message (text, field errors or a list), or an OAuth-style error", () => {
    for (const { body } of listErrorResponses()) {
      if ('error' in body) expect(typeof body.error).toBe('string');
      else expect(['string', 'object']).toContain(typeof body.message);
    }
  });
});

describe(answerFor.name, () => {
  it('builds the answer from the facts the error carries', () => {
    const answer = answerFor(
      new PipelineError('PIPELINE_NOT_CREATED', { reasons: ['Reference not found', 'No stages / jobs for this pipeline.'] }),
    );
    expect({ status: answer?.status, body: answer?.body }).toEqual({
      status: 400,
      body: { message: { base: ['Reference not found', 'No stages / jobs for this pipeline.'] } },
    });
  });

  it('has no answer for a module outside the table', () => {
    class StrayError extends DomainError<{ readonly LOST: NoFacts }> {
      static readonly module = 'stray';
    }
    expect(answerFor(new StrayError('LOST'))).toBeUndefined();
  });
});
