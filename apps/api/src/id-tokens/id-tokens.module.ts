import { Global, Module } from '@nestjs/common';
import { CustomClaimsModule } from '../custom-claims/custom-claims.module';
import { PipelinesModule } from '../pipelines/pipelines.module';
import { AudienceSecretsService } from './audience-secrets.service';
import { IdTokenService } from './id-token.service';
import { IssuancesController } from './issuances.controller';
import { IssuancesService } from './issuances.service';
import { KeyChangeListener } from './key-change-listener';
import { KeyStore } from './key-store';
import { SigningKeysController } from './signing-keys.controller';
import { SigningKeysService } from './signing-keys.service';

@Global()
@Module({
  imports: [PipelinesModule, CustomClaimsModule],
  controllers: [SigningKeysController, IssuancesController],
  providers: [KeyStore, KeyChangeListener, SigningKeysService, IdTokenService, IssuancesService, AudienceSecretsService],
  exports: [KeyStore, SigningKeysService, IdTokenService, AudienceSecretsService],
})
export class IdTokensModule {}
