import { Global, Module } from '@nestjs/common';
import { OidcDocuments } from './oidc-documents';
import { OidcController } from './oidc.controller';

/**
 * Discovery and the JWKS: the precomputed documents (from id-tokens' KeyStore), for `oidcFastPath` and for
 * `OidcController`.
 */
@Global()
@Module({
  controllers: [OidcController],
  providers: [OidcDocuments],
  exports: [OidcDocuments],
})
export class OidcModule {}
