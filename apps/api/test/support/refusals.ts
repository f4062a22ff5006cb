/**
 * The parameters a 400 names, in the model's dotted form (`variables.0.key`): Grape's `{"error": "a is missing,
 * variables[0][key] is invalid"}` for a parameter, ActiveRecord's `{"message": {"field": [reasons]}}` for a model rule.
 */
export function refusedFields(body: { message?: unknown; error?: unknown }): string[] {
  if (typeof body.error === 'string') {
    return body.error.split(', ').map((sentence) => sentence.split(' ')[0].replace(/\[([^\]]*)\]/g, '.$1'));
  }
  return body.message !== null && typeof body.message === 'object' ? Object.keys(body.message) : [];
}
