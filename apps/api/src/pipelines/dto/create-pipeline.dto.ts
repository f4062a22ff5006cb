import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';

export class PipelineVariableDto {
  @IsString()
  @Length(1, 255)
  @Matches(/^[a-zA-Z0-9_]+$/, { message: "key can contain only letters, digits and '_'." })
  key!: string;

  @IsString()
  @MaxLength(10_000)
  value!: string;

  @IsOptional()
  @IsIn(['env_var', 'file'])
  variable_type?: 'env_var' | 'file';
}

export class CreatePipelineDto {
  @IsString()
  @Length(1, 255)
  ref!: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => PipelineVariableDto)
  variables?: PipelineVariableDto[];
}
