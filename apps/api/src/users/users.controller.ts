import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Caller, TokenScopeClass } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { RequireAdmin } from '../auth/require-admin.decorator';
import { CreatePersonalAccessTokenDto } from './dto/create-personal-access-token.dto';
import { CreateUserDto } from './dto/create-user.dto';
import { ListUsersQuery } from './dto/list-users.query';
import { UsersService } from './users.service';

@Controller()
@TokenScopeClass('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('user')
  current(@Caller() caller: CallerType) {
    return this.users.current(caller);
  }

  /**
   * Signed-in users only (the global AuthGuard). GitLab also answers an anonymous `?username=` unless public visibility
   * is restricted; here a username is not public information, so nobody unauthenticated can probe for accounts.
   */
  @Get('users')
  list(@Caller() caller: CallerType, @Query() query: ListUsersQuery) {
    return this.users.list(caller, query);
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

  /** GitLab answers the JSON scalars `true`, `false` or `null`, which Nest would send as text: written here. */
  @Post('users/:id/block')
  @RequireAdmin()
  @ApiCreatedResponse({ description: '`true`, or `null` for a user already blocked', schema: { type: ['boolean', 'null'] } })
  async block(@Caller() caller: CallerType, @Param('id', ParseIntPipe) id: number, @Res() response: Response) {
    response.status(201).json(await this.users.block(caller, id));
  }

  @Post('users/:id/unblock')
  @RequireAdmin()
  @ApiCreatedResponse({ description: '`true`, or `false` for a user not blocked', schema: { type: 'boolean' } })
  async unblock(@Param('id', ParseIntPipe) id: number, @Res() response: Response) {
    response.status(201).json(await this.users.unblock(id));
  }

  @Post('users/:id/personal_access_tokens')
  @RequireAdmin()
  createToken(@Param('id', ParseIntPipe) id: number, @Body() dto: CreatePersonalAccessTokenDto) {
    return this.users.createPersonalAccessToken(id, dto);
  }
}
