import { IsOptional, IsString, Length, MaxLength, NotContains } from 'class-validator';

export class CreateTagDto {
  @IsString()
  @Length(1, 255)
  tag_name!: string;

  /** A branch, tag or commit sha. */
  @IsString()
  @Length(1, 255)
  ref!: string;

  /** Present: an annotated tag. */
  @IsOptional()
  @IsString()
  @MaxLength(65_536)
  @NotContains('\u0000')
  message?: string;
}
