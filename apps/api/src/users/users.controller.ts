import { Body, Controller, Get, Param, ParseIntPipe, Post } from '@nestjs/common';
import { Caller } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { RequireAdmin } from '../auth/require-admin.decorator';
import { CreatePersonalAccessTokenDto } from './dto/create-personal-access-token.dto';
import { CreateUserDto } from './dto/create-user.dto';
import { UsersService } from './users.service';

@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('user')
  current(@Caller() caller: CallerType) {
    return this.users.current(caller);
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
