import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { OidcDocuments, sendDocument } from './oidc-documents';
import { DISCOVERY_SCHEMA, JWKS_SCHEMA } from './oidc-openapi';

/**
 * OIDC discovery and the JWKS, answered from memory (no database), never redirected. The exact paths are answered by
 * `oidcFastPath` before Nest; these routes document them and answer the variants Express also routes here.
 */
@Controller()
@Public()
export class OidcController {
  constructor(private readonly documents: OidcDocuments) {}

  @Get('.well-known/openid-configuration')
  @ApiOkResponse({ description: 'OpenID Provider Metadata', schema: DISCOVERY_SCHEMA })
  discovery(@Req() request: Request, @Res() response: Response) {
    sendDocument(request, response, this.documents.discovery);
  }

  @Get(['oauth/discovery/keys', '-/jwks'])
  @ApiOkResponse({ description: 'The JSON Web Key Set', schema: JWKS_SCHEMA })
  jwks(@Req() request: Request, @Res() response: Response) {
    sendDocument(request, response, this.documents.jwks);
  }
}
