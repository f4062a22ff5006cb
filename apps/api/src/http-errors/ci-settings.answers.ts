import { CiSettingsError } from '../ci-settings/ci-settings-errors';
import { ApiError } from '../common/api-error';
import { section } from './table-section';

/** GitLab names the field this way in its errors (a known naming quirk that clients now match on). */
const SUB_COMPONENTS_ERROR_FIELD = 'ci_cd_settings.id_token_sub_claim_components';

export const CI_SETTINGS_ANSWERS = section(CiSettingsError, {
  SUB_CLAIM_COMPONENTS_INVALID: {
    answer: ({ problems }) => ApiError.invalidField(SUB_COMPONENTS_ERROR_FIELD, ...problems),
    example: { problems: ['project_path, project_id, job_project_path or job_project_id must be the first element of the sub claim'] },
  },
});
