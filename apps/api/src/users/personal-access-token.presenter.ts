import type { PersonalAccessToken } from './personal-access-token.entity';

/** Whether the token still authenticates on `today` (`YYYY-MM-DD`): the rule AuthService applies, said once more. */
export function isTokenActive(token: PersonalAccessToken, today: string): boolean {
  return !token.revoked && (token.expiresAt === null || token.expiresAt > today);
}

/** GitLab 18's `Entities::PersonalAccessToken`; the token itself is never part of it (only its digest is stored). */
export function presentToken(token: PersonalAccessToken, today: string) {
  return {
    id: token.id,
    name: token.name,
    revoked: token.revoked,
    created_at: token.createdAt.toISOString(),
    description: token.description,
    scopes: token.scopes,
    user_id: token.userId,
    last_used_at: token.lastUsedAt?.toISOString() ?? null,
    active: isTokenActive(token, today),
    expires_at: token.expiresAt,
  };
}

/** `Entities::PersonalAccessTokenWithToken`: the one answer that carries a new token, shown this once. */
export function presentNewToken(token: PersonalAccessToken, secret: string, today: string) {
  return { ...presentToken(token, today), token: secret };
}
