import { Module } from '@nestjs/common';
import { OidcController } from './oidc.controller';
import { OidcDocuments } from './oidc-documents';

@Module({
  controllers: [OidcController],
  providers: [OidcDocuments],
})
export class OidcModule {}
