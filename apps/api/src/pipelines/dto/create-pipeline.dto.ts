import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, Matches, MaxLength, NotContains } from 'class-validator';
import { IsObjectList, toText } from '../../common/dto-transforms';

/** Grape keeps a number given for a variable's value and Rails stores it as text; clients send `"value": 123`. */

export class PipelineVariableDto {
  @IsString()
  @Length(1, 255)
  @Matches(/^[a-zA-Z0-9_]+$/, { message: "key can contain only letters, digits and '_'." })
  key!: string;

  @Transform(toText)
  @IsString()
  @MaxLength(10_000)
  // PostgreSQL cannot store either in jsonb: refused here rather than failing the insert.
  @Matches(/^[^\u0000\p{Cs}]*$/u, { message: 'value must not contain NUL characters or unpaired surrogates' })
  value!: string;

  @IsOptional()
  @IsIn(['env_var', 'file'])
  variable_type?: 'env_var' | 'file';
}

export class CreatePipelineDto {
  @IsString()
  @Length(1, 255)
  @NotContains('\u0000')
  ref!: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsObjectList(() => PipelineVariableDto)
  variables?: PipelineVariableDto[];
}
