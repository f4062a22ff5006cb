import { ArrayNotEmpty, IsArray, IsIn, IsISO8601, IsOptional } from 'class-validator';
import { IsDisplayName } from '../../common/path-rules';

export const TOKEN_SCOPES = ['api', 'read_api', 'read_user', 'read_repository', 'write_repository'] as const;

export class CreatePersonalAccessTokenDto {
  @IsDisplayName()
  name!: string;

  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(TOKEN_SCOPES, { each: true })
  scopes?: string[];

  @IsOptional()
  @IsISO8601({ strict: true })
  expires_at?: string;
}
