import { Module } from '@nestjs/common';
import { PersonalAccessTokensController } from './personal-access-tokens.controller';
import { PersonalAccessTokensService } from './personal-access-tokens.service';
import { RootUserBootstrap } from './root-user.bootstrap';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  controllers: [UsersController, PersonalAccessTokensController],
  providers: [UsersService, PersonalAccessTokensService, RootUserBootstrap],
  exports: [UsersService, RootUserBootstrap],
})
export class UsersModule {}
