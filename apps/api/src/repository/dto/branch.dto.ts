import { IsString, Length } from 'class-validator';

export class CreateBranchDto {
  @IsString()
  @Length(1, 255)
  branch!: string;

  /** A branch, tag or commit sha. */
  @IsString()
  @Length(1, 255)
  ref!: string;
}
