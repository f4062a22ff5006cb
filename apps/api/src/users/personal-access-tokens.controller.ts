import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { Caller, CallerTokenId, TokenScopeClass } from '../auth/auth.decorators';
import type { Caller as CallerType } from '../auth/caller';
import { ListPersonalAccessTokensQuery, RotatePersonalAccessTokenDto } from './dto/personal-access-tokens.query';
import { PersonalAccessTokensService } from './personal-access-tokens.service';

/** GitLab's `API::PersonalAccessTokens` and its `self` classes; the `self` routes come first, before `:id`. */
@Controller('personal_access_tokens')
export class PersonalAccessTokensController {
  constructor(private readonly tokens: PersonalAccessTokensService) {}

  @Get('self')
  @TokenScopeClass('token_self')
  showSelf(@CallerTokenId() tokenId: number) {
    return this.tokens.showSelf(tokenId);
  }

  @Delete('self')
  @HttpCode(204)
  @TokenScopeClass('token_self')
  revokeSelf(@Caller() caller: CallerType, @CallerTokenId() tokenId: number) {
    return this.tokens.revoke(caller, tokenId);
  }

  @Post('self/rotate')
  @HttpCode(200)
  @TokenScopeClass('token_self_rotation')
  rotateSelf(@CallerTokenId() tokenId: number, @Body() dto: RotatePersonalAccessTokenDto) {
    return this.tokens.rotateSelf(tokenId, dto);
  }

  @Get()
  list(@Caller() caller: CallerType, @Query() query: ListPersonalAccessTokensQuery) {
    return this.tokens.list(caller, query);
  }

  @Get(':id')
  show(@Caller() caller: CallerType, @Param('id', ParseIntPipe) id: number) {
    return this.tokens.show(caller, id);
  }

  @Delete(':id')
  @HttpCode(204)
  revoke(@Caller() caller: CallerType, @Param('id', ParseIntPipe) id: number) {
    return this.tokens.revoke(caller, id);
  }

  @Post(':id/rotate')
  @HttpCode(200)
  rotate(@Caller() caller: CallerType, @Param('id', ParseIntPipe) id: number, @Body() dto: RotatePersonalAccessTokenDto) {
    return this.tokens.rotate(caller, id, dto);
  }
}
