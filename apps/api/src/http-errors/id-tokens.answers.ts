import { ApiError } from '../common/api-error';
import { SigningKeyError } from '../id-tokens/signing-key-errors';
import { section } from './table-section';

/** Key ids are RFC 7638 thumbprints. */
const EXAMPLE_KID = 'kGq0v1wq8a4F0Mvy3o9n6rS5Zl2b7cXeTj1uYhWdQpA';

export const SIGNING_KEY_ANSWERS = section(SigningKeyError, {
  SIGNING_KEY_NOT_FOUND: () => ApiError.notFound('Signing key'),
  ACTIVATE_NOT_NEXT: {
    answer: ({ kid, state }) => ApiError.badRequest(`key ${kid} is ${state}; only a next key can be activated`),
    example: { kid: EXAMPLE_KID, state: 'retired' },
  },
  ACTIVATE_TOO_EARLY: {
    answer: ({ kid, usableFrom }) =>
      ApiError.badRequest(`key ${kid} may sign from ${usableFrom}, once verifiers have had LANYARD_KEY_PUBLISH_LEAD to fetch it`),
    example: { kid: EXAMPLE_KID, usableFrom: '2026-01-02T00:00:00.000Z' },
  },
  RETIRE_ALREADY_RETIRED: { answer: ({ kid }) => ApiError.badRequest(`key ${kid} is already retired`), example: { kid: EXAMPLE_KID } },
  RETIRE_REVOKED: { answer: ({ kid }) => ApiError.badRequest(`key ${kid} is revoked`), example: { kid: EXAMPLE_KID } },
  RETIRE_ACTIVE: {
    answer: ({ kid }) => ApiError.badRequest(`key ${kid} is the active key; activate a next key instead, which retires it`),
    example: { kid: EXAMPLE_KID },
  },
  REVOKE_ALREADY_REVOKED: { answer: ({ kid }) => ApiError.badRequest(`key ${kid} is already revoked`), example: { kid: EXAMPLE_KID } },
  REVOKE_ONLY_SIGNER: {
    answer: ({ kid }) =>
      ApiError.badRequest(
        `key ${kid} is the only key that can sign; add a next key (POST /admin/ci/id_token_signing_keys) and revoke again: it is promoted at once`,
      ),
    example: { kid: EXAMPLE_KID },
  },
});
