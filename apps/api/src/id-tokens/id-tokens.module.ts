import { Global, Module } from '@nestjs/common';
import { OidcController } from '../oidc/oidc.controller';
import { KeyStore } from './key-store';
import { SigningKeysController } from './signing-keys.controller';
import { SigningKeysService } from './signing-keys.service';

@Global()
@Module({
  controllers: [SigningKeysController, OidcController],
  providers: [KeyStore, SigningKeysService],
  exports: [KeyStore, SigningKeysService],
})
export class IdTokensModule {}
