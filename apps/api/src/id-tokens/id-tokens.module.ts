import { Global, Module } from '@nestjs/common';
import { AudienceSecretsService } from './audience-secrets.service';
import { IdTokenService } from './id-token.service';
import { IssuancesController } from './issuances.controller';
import { IssuancesService } from './issuances.service';
import { JobIdentityLoader } from './job-identity';
import { KeyStore } from './key-store';
import { SigningKeysController } from './signing-keys.controller';
import { SigningKeysService } from './signing-keys.service';

@Global()
@Module({
  controllers: [SigningKeysController, IssuancesController],
  providers: [KeyStore, SigningKeysService, IdTokenService, JobIdentityLoader, IssuancesService, AudienceSecretsService],
  exports: [KeyStore, SigningKeysService, IdTokenService, AudienceSecretsService],
})
export class IdTokensModule {}
