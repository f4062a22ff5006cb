import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { User } from '../users/user.entity';
import { digestToken } from './secret-token';

@Injectable()
export class AuthService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The active user owning a live (unrevoked, unexpired) token, or null. */
  async userForToken(token: string): Promise<User | null> {
    if (token.length > 512) return null;
    return this.db
      .getRepository(User)
      .createQueryBuilder('user')
      .innerJoin('personal_access_tokens', 'pat', 'pat.user_id = user.id')
      .where('pat.token_digest = :digest', { digest: digestToken(token) })
      .andWhere('NOT pat.revoked')
      .andWhere('(pat.expires_at IS NULL OR pat.expires_at > CURRENT_DATE)')
      .andWhere("user.state = 'active'")
      .getOne();
  }
}
