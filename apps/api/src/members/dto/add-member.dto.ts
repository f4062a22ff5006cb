import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Min } from 'class-validator';
import { MEMBER_ACCESS_LEVELS, MemberAccessLevel } from '@lanyard/access';

const ACCESS_LEVEL_MESSAGE = `access_level must be one of ${MEMBER_ACCESS_LEVELS.join(', ')}`;

export class AddMemberDto {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  user_id!: number;

  @Type(() => Number)
  @IsIn(MEMBER_ACCESS_LEVELS, { message: ACCESS_LEVEL_MESSAGE })
  access_level!: MemberAccessLevel;

  @IsOptional()
  @IsISO8601({ strict: true })
  expires_at?: string;
}

export class UpdateMemberDto {
  @Type(() => Number)
  @IsIn(MEMBER_ACCESS_LEVELS, { message: ACCESS_LEVEL_MESSAGE })
  access_level!: MemberAccessLevel;

  @IsOptional()
  @IsISO8601({ strict: true })
  expires_at?: string;
}
