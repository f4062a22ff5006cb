import { IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

/** `POST /jobs/request`: the runner's token and self-description. */
export class JobRequestDto {
  @IsString()
  @MaxLength(512)
  token!: string;

  /** The runner's self-description (name, version, executor, features); accepted and not used yet. */
  @IsOptional()
  @IsObject()
  info?: Record<string, unknown>;
}
