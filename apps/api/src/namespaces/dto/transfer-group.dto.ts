import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';

export class TransferGroupDto {
  /** GitLab's `group_id`: the new parent; absent (or null) makes the group a top-level group. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  group_id?: number | null;
}
