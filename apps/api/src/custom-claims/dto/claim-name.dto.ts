import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';

export class RegisterClaimNameDto {
  /** Checked by the claim-name rule (libs/ci-config) in the service: pattern, URI form, reserved names. */
  @IsString()
  @MaxLength(256)
  name!: string;

  /** The owning top-level group; absent or null: the name is open to every project. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  namespace_id?: number | null;
}
