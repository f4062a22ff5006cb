import { ApiError } from '../common/api-error';
import { VariableError } from '../variables/variable-errors';
import { section } from './table-section';

export const VARIABLE_ANSWERS = section(VariableError, {
  VARIABLE_NOT_FOUND: () => ApiError.notFound('Variable'),
  VARIABLE_AMBIGUOUS: () =>
    ApiError.conflict("There are multiple variables with provided parameters. Please use 'filter[environment_scope]'"),
  VALUE_NOT_MASKABLE: () => ApiError.invalidField('value', 'is invalid'),
  KEY_TAKEN: { answer: ({ key }) => ApiError.invalidField('key', `(${key}) has already been taken`), example: { key: 'VAULT_SERVER_URL' } },
});
