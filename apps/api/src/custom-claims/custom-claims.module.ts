import { Module } from '@nestjs/common';
import { CustomClaimsController } from './custom-claims.controller';
import { CustomClaimsService } from './custom-claims.service';

@Module({ controllers: [CustomClaimsController], providers: [CustomClaimsService], exports: [CustomClaimsService] })
export class CustomClaimsModule {}
