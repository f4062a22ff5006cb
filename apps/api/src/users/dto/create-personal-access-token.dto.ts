import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsDisplayName } from '../../common/path-rules';

export class CreatePersonalAccessTokenDto {
  @IsDisplayName()
  name!: string;

  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  scopes?: string[]; // each one of TOKEN_SCOPES, checked by the service with GitLab's answer

  @IsOptional()
  @IsISO8601({ strict: true })
  expires_at?: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  description?: string;
}
