import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessService } from './access.service';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { ResourceAccessGuard } from './resource-access.guard';

@Global()
@Module({
  providers: [AuthService, AccessService, ResourceAccessGuard, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, AccessService, ResourceAccessGuard],
})
export class AuthModule {}
