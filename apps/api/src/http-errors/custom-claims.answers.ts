import { ApiError } from '../common/api-error';
import { ClaimSettingsError } from '../custom-claims/claim-settings-errors';
import { section } from './table-section';

export const CLAIM_SETTINGS_ANSWERS = section(ClaimSettingsError, {
  CLAIM_NAME_RESERVED: {
    answer: ({ name }) => ApiError.invalidField('name', `${name} is a reserved claim name`),
    example: { name: 'email' },
  },
  CLAIM_NAME_INVALID: () => ApiError.invalidField('name', 'is invalid: use ^[a-z][a-z0-9_]{0,63}$ or an https:// URI'),
  CLAIM_NAME_OWNER_NOT_FOUND: () => ApiError.notFound('Group'),
  CLAIM_NAME_OWNER_NOT_TOP_LEVEL: () => ApiError.invalidField('namespace_id', 'must be a top-level group'),
  CLAIM_NAME_TAKEN: {
    answer: ({ name }) => ApiError.conflict(`Claim name ${name} has already been registered`),
    example: { name: 'cost_center' },
  },
  CLAIM_NAME_NOT_FOUND: () => ApiError.notFound('Claim name'),
  STORED_CLAIMS_CONFLICT: {
    answer: ({ reasons }) => ApiError.conflict(reasons.join('; ')),
    example: { reasons: ['cost_center is immutable: set by group acme'] },
  },
  CLAIMS_INVALID: {
    answer: ({ reasons }) => ApiError.invalidField('claims', ...reasons),
    example: { reasons: ['cost_center is immutable: set by group acme'] },
  },
});
