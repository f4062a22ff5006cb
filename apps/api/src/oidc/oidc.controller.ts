import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { jwksMaxAgeSeconds } from '@lanyard/id-tokens';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { KeyStore } from '../id-tokens/key-store';
import { discoveryDocument } from './discovery-document';

/** OIDC discovery and the JWKS, answered from memory (no database), never redirected. */
@Controller()
@Public()
export class OidcController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly keys: KeyStore,
  ) {}

  @Get('.well-known/openid-configuration')
  @Header('Cache-Control', 'public, max-age=3600')
  discovery() {
    return discoveryDocument(this.config.externalUrl);
  }

  @Get(['oauth/discovery/keys', '-/jwks'])
  jwks(@Res({ passthrough: true }) response: Response) {
    // Short enough that a cache honouring it, plus a verifier's own cache, still sees a new key before it signs.
    response.setHeader('Cache-Control', `public, max-age=${jwksMaxAgeSeconds(this.config.keyPublishLeadSeconds)}, stale-if-error=86400`);
    return this.keys.jwks();
  }
}
