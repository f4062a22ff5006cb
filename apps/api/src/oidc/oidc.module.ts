import { Global, Module } from '@nestjs/common';
import { OidcDocuments } from './oidc-documents';

/** The precomputed discovery and JWKS documents, for `oidcFastPath` and for `OidcController` (in IdTokensModule). */
@Global()
@Module({
  providers: [OidcDocuments],
  exports: [OidcDocuments],
})
export class OidcModule {}
