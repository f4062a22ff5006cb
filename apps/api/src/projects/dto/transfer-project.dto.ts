import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import { toText } from '../../common/dto-transforms';

export class TransferProjectDto {
  /** GitLab's `namespace`: the id or the full path of the namespace to move to (a String parameter in Grape). */
  @Transform(toText)
  @IsString()
  @Length(1, 2048)
  namespace!: string;
}
