import { ApiError } from '../common/api-error';
import { MemberError } from '../members/member-errors';
import { section } from './table-section';

export const MEMBER_ANSWERS = section(MemberError, {
  MEMBER_NOT_FOUND: () => ApiError.notFound('Member'),
  USER_NOT_FOUND: () => ApiError.notFound('User'),
  MEMBER_EXISTS: () => ApiError.conflict('Member already exists'),
  LAST_OWNER: () => ApiError.badRequest('a group must keep at least one owner'),
  LEVEL_ABOVE_CALLER: {
    answer: ({ level }) => ApiError.forbidden(`you may not manage members with access level ${level}`),
    example: { level: 50 },
  },
});
