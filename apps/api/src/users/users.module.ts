import { Module } from '@nestjs/common';
import { RootUserBootstrap } from './root-user.bootstrap';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  controllers: [UsersController],
  providers: [UsersService, RootUserBootstrap],
  exports: [UsersService, RootUserBootstrap],
})
export class UsersModule {}
