import { IsBoolean, IsEmail, IsOptional, MaxLength } from 'class-validator';
import { IsDisplayName, IsNamespacePath } from '../../common/path-rules';

export class CreateUserDto {
  @IsNamespacePath()
  username!: string;

  @IsDisplayName()
  name!: string;

  @IsEmail()
  @MaxLength(255)
  email!: string;

  @IsOptional()
  @IsBoolean()
  admin?: boolean;
}
