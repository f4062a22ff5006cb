import { IsIn, IsOptional, IsString, Length, MaxLength, NotContains } from 'class-validator';
import { MAX_FILE_SIZE } from '../file-limits';

export const FILE_ENCODINGS = ['text', 'base64'] as const;
export type FileEncoding = (typeof FILE_ENCODINGS)[number];

const MAX_CONTENT_CHARS = Math.ceil(MAX_FILE_SIZE / 3) * 4 + 64 * 1024;

export class WriteFileDto {
  @IsString()
  @Length(1, 255)
  branch!: string;

  @IsOptional()
  @IsString()
  @Length(1, 255)
  start_branch?: string;

  @IsString()
  @MaxLength(MAX_CONTENT_CHARS, { message: `content is too large (maximum is ${MAX_FILE_SIZE} bytes)` })
  content!: string;

  @IsString()
  @Length(1, 65_536)
  @NotContains('\u0000')
  commit_message!: string;

  @IsOptional()
  @IsIn(FILE_ENCODINGS)
  encoding?: FileEncoding;
}

export class FileRefQuery {
  @IsOptional()
  @IsString()
  @Length(1, 255)
  ref?: string;
}
