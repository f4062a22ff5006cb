/** Longest ref name we store (the `name` columns are varchar(255)). */
export const MAX_REF_NAME_LENGTH = 255;

// Control characters, space and the characters git reserves for revision syntax; lone surrogates cannot round-trip
// through UTF-8, so the stored name would differ from the one asked for.
const FORBIDDEN_CHARACTERS = /[\u0000-\u0020\u007f~^:?*[\\]|\p{Cs}/u;
const FULL_SHA = /^[0-9a-fA-F]{40}$/;

/**
 * `git check-ref-format --allow-onelevel` plus its `--branch` rule (no leading `-`): the rules every branch and tag
 * name must pass so that it can never be read as revision syntax or collide with git's own files.
 */
export function isValidRefName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_REF_NAME_LENGTH) return false;
  if (name === '@' || name.includes('@{') || name.includes('..')) return false;
  if (FORBIDDEN_CHARACTERS.test(name)) return false;
  if (name.startsWith('-') || name.endsWith('.')) return false;
  return name.split('/').every((component) => component !== '' && !component.startsWith('.') && !component.endsWith('.lock'));
}

/**
 * A name a user may give a branch or tag: a valid ref name that cannot be mistaken for another ref or a commit, as
 * GitLab refuses `HEAD`, names under `refs/` and full-length hexadecimal names.
 */
export function isValidBranchOrTagName(name: string): boolean {
  return isValidRefName(name) && name !== 'HEAD' && !name.startsWith('refs/') && !FULL_SHA.test(name);
}
