import { Module } from '@nestjs/common';
import { ClaimNamesController } from './claim-names.controller';
import { ClaimNamesService } from './claim-names.service';
import { CustomClaimsController } from './custom-claims.controller';
import { CustomClaimsService } from './custom-claims.service';

@Module({
  controllers: [CustomClaimsController, ClaimNamesController],
  providers: [CustomClaimsService, ClaimNamesService],
  exports: [CustomClaimsService],
})
export class CustomClaimsModule {}
