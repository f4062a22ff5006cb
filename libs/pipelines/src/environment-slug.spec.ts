import { environmentSlug, slugSuffix } from './environment-slug';

describe(environmentSlug.name, () => {
  // GitLab's spec/lib/gitlab/slug/environment_spec.rb, with the suffix of the real SHA-256 of each name.
  it.each([
    ['production', 'production'],
    ['staging-1234567890123456', 'staging-1234567890123456'],
    ['foo-', 'foo'],
    ['staging-12345678-', 'staging-12345678'],
    ['PRODUCTION', `production-${slugSuffix('PRODUCTION')}`],
    ['review/1-foo', `review-1-foo-${slugSuffix('review/1-foo')}`],
    ['1/foo', `env-1-foo-${slugSuffix('1/foo')}`],
    ['foo--bar', `foo-bar-${slugSuffix('foo--bar')}`],
    ['staging-12345678901234567', `staging-123456789-${slugSuffix('staging-12345678901234567')}`],
    ['9-staging-123456789012345', `env-9-staging-123-${slugSuffix('9-staging-123456789012345')}`],
    ['staging-12345678-01234567', `staging-12345678-${slugSuffix('staging-12345678-01234567')}`],
    ['review/x', 'review-x-n5c54v'],
  ])('%j → %j', (name, slug) => {
    expect(environmentSlug(name)).toBe(slug);
  });

  it('derives the suffix as Ruby does from the SHA-256 hex digest', () => {
    // GitLab's spec: ('a' * 64).to_i(16).to_s(36).last(6) gives 'q517sa'.
    expect(slugSuffix('ignored', 'a'.repeat(64))).toBe('q517sa');
  });
});
