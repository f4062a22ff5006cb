import { Body, Controller, Get, Param, ParseIntPipe, Post } from '@nestjs/common';
import { Caller, TokenScopeClass } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { RequireAdmin } from '../auth/require-admin.decorator';
import { CreatePersonalAccessTokenDto } from './dto/create-personal-access-token.dto';
import { CreateUserDto } from './dto/create-user.dto';
import { UsersService } from './users.service';

@Controller()
@TokenScopeClass('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('user')
  current(@Caller() caller: CallerType) {
    return this.users.current(caller);
  }

  @Get('users/:id')
  show(@Caller() caller: CallerType, @Param('id', ParseIntPipe) id: number) {
    return this.users.show(caller, id);
  }

  @Post('users')
  @RequireAdmin()
  create(@Body() dto: CreateUserDto) {
    return this.users.create(dto);
  }

  @Post('users/:id/personal_access_tokens')
  @RequireAdmin()
  createToken(@Param('id', ParseIntPipe) id: number, @Body() dto: CreatePersonalAccessTokenDto) {
    return this.users.createPersonalAccessToken(id, dto);
  }
}
