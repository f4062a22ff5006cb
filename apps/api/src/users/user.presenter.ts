import { User } from '../entities/user.entity';

export function presentUserBasic(user: User, externalUrl: string) {
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    state: user.state,
    locked: false,
    avatar_url: null,
    web_url: `${externalUrl}/${user.username}`,
  };
}

/** The full user as `GET /user` returns it; email and admin only for the user themself or an admin. */
export function presentUser(user: User, externalUrl: string) {
  return {
    ...presentUserBasic(user, externalUrl),
    created_at: user.createdAt.toISOString(),
    email: user.email,
    public_email: null,
    is_admin: user.admin,
    bot: false,
  };
}
