import { createHash } from 'node:crypto';

const SLUG_MAX_LENGTH = 24;
const SLUG_PREFIX_LENGTH = 17;

/**
 * GitLab's `Gitlab::Slug::Environment` (CI_ENVIRONMENT_SLUG): lowercase letters, digits and `-`, starting with a letter,
 * at most 24 characters. A slug that differs from the name gets a suffix derived from the name, so two names that
 * slugify alike still get distinct slugs; being a pure function of the name, it needs no column.
 */
export function environmentSlug(name: string): string {
  let slug = name.toLowerCase().replace(/[^a-z0-9]/g, '-');
  if (!/^[a-z]/.test(slug)) slug = `env-${slug}`;
  slug = slug.replace(/-+/g, '-');
  if (slug.length <= SLUG_MAX_LENGTH && slug === name) return slug.replace(/-$/, '');
  const prefix = slug.slice(0, SLUG_PREFIX_LENGTH);
  return `${prefix.endsWith('-') ? prefix : `${prefix}-`}${slugSuffix(name)}`;
}

/** Ruby's `Digest::SHA2.hexdigest(name).to_i(16).to_s(36).last(6)`. */
export function slugSuffix(name: string, hexDigest = createHash('sha256').update(name, 'utf8').digest('hex')): string {
  return BigInt(`0x${hexDigest}`).toString(36).slice(-6);
}
