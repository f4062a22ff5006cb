import type { ApiError } from '../common/api-error';
import type { DomainError } from '../common/domain-error';
import { AUTH_ANSWERS } from './auth.answers';
import { BUILD_ANSWERS } from './builds.answers';
import { CI_SETTINGS_ANSWERS } from './ci-settings.answers';
import { CLAIM_SETTINGS_ANSWERS } from './custom-claims.answers';
import { ENVIRONMENT_ANSWERS } from './environments.answers';
import { JOB_LOG_ANSWERS } from './job-logs.answers';
import { HEALTH_ANSWERS } from './health.answers';
import { PREVIEW_ANSWERS } from './id-token-preview.answers';
import { SIGNING_KEY_ANSWERS } from './id-tokens.answers';
import { LINT_ANSWERS } from './lint.answers';
import { MEMBER_ANSWERS } from './members.answers';
import { MERGE_REQUEST_ANSWERS } from './merge-requests.answers';
import { NAMESPACE_ANSWERS } from './namespaces.answers';
import { PIPELINE_ANSWERS } from './pipelines.answers';
import { PROJECT_ANSWERS } from './projects.answers';
import { REPOSITORY_ANSWERS } from './repository.answers';
import { RUNNER_ANSWERS } from './runners.answers';
import type { TableSection } from './table-section';
import { USER_ANSWERS } from './users.answers';
import { VARIABLE_ANSWERS } from './variables.answers';

/**
 * The one table at the edge: every code a module declares, with GitLab's status and body for it. The exception
 * filter answers from it, and the OpenAPI document can list each route's error responses from it. A module joins with
 * its `<module>/…-errors.ts` (a DomainError subclass), a `<module>.answers.ts` section here, and its codes in the spec.
 */
export const ERROR_TABLE: readonly TableSection[] = [
  AUTH_ANSWERS,
  USER_ANSWERS,
  MEMBER_ANSWERS,
  RUNNER_ANSWERS,
  NAMESPACE_ANSWERS,
  PROJECT_ANSWERS,
  REPOSITORY_ANSWERS,
  MERGE_REQUEST_ANSWERS,
  ENVIRONMENT_ANSWERS,
  PIPELINE_ANSWERS,
  BUILD_ANSWERS,
  JOB_LOG_ANSWERS,
  LINT_ANSWERS,
  VARIABLE_ANSWERS,
  CI_SETTINGS_ANSWERS,
  CLAIM_SETTINGS_ANSWERS,
  SIGNING_KEY_ANSWERS,
  PREVIEW_ANSWERS,
  HEALTH_ANSWERS,
];

const SECTIONS = new Map(ERROR_TABLE.map((tableSection) => [tableSection.module, tableSection.codes]));

/** The answer to a module's error, or undefined for one the table lacks (a bug: answered as any other, 500). */
export function answerFor(error: DomainError): ApiError | undefined {
  return SECTIONS.get(error.module)?.get(error.code)?.answer(error.facts);
}

/** One code's answer, with the body its example facts give. */
export interface ErrorResponse {
  readonly module: string;
  readonly code: string;
  readonly status: number;
  readonly body: ApiError['body'];
}

/** Every code of every module with its status and an example body, in the table's order. */
export function listErrorResponses(): ErrorResponse[] {
  return ERROR_TABLE.flatMap(({ module, codes }) =>
    [...codes].map(([code, { answer, example }]) => {
      const { status, body } = answer(example);
      return { module, code, status, body };
    }),
  );
}
