import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { jwksMaxAgeSeconds } from '@lanyard/id-tokens';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app-config';
import { KeyStore } from '../id-tokens/key-store';
import { discoveryDocument } from './discovery-document';

export const DISCOVERY_PATH = '/.well-known/openid-configuration';
export const JWKS_PATHS = ['/oauth/discovery/keys', '/-/jwks'] as const;

/** A document as sent: its bytes, a strong ETag over them, and its Cache-Control. */
export interface PrecomputedDocument {
  readonly body: Buffer;
  readonly etag: string;
  readonly cacheControl: string;
}

/**
 * Discovery and the JWKS, serialised once: discovery at start (it depends only on configuration), the JWKS whenever
 * the key store changes. Verifier fleets poll these more than anything else, so a request only copies bytes.
 */
@Injectable()
export class OidcDocuments {
  readonly discovery: PrecomputedDocument;
  private keySet: PrecomputedDocument;

  constructor(@Inject(APP_CONFIG) config: AppConfig, keys: KeyStore) {
    this.discovery = precompute(discoveryDocument(config.idTokenIssuerUrl), 'public, max-age=3600');
    // Short enough that a cache honouring it, plus a verifier's own cache, still sees a new key before it signs.
    const jwksCacheControl = `public, max-age=${jwksMaxAgeSeconds(config.keyPublishLeadSeconds)}, stale-if-error=86400`;
    this.keySet = precompute(keys.jwks(), jwksCacheControl);
    keys.onChange(() => {
      this.keySet = precompute(keys.jwks(), jwksCacheControl);
    });
  }

  get jwks(): PrecomputedDocument {
    return this.keySet;
  }

  /** The document at exactly this path (query string excluded), if it is one of these. */
  at(path: string): PrecomputedDocument | undefined {
    if (path === DISCOVERY_PATH) return this.discovery;
    return path === JWKS_PATHS[0] || path === JWKS_PATHS[1] ? this.keySet : undefined;
  }
}

/** `Content-Type` exactly `application/json`, as GitLab (see exact-json-content-type.ts); 304 when the ETag matches. */
export function sendDocument(request: IncomingMessage, response: ServerResponse, document: PrecomputedDocument): void {
  if (etagMatches(request.headers['if-none-match'], document.etag)) {
    response.writeHead(304, { ETag: document.etag, 'Cache-Control': document.cacheControl });
    response.end();
    return;
  }
  response.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': document.body.length,
    ETag: document.etag,
    'Cache-Control': document.cacheControl,
  });
  response.end(request.method === 'HEAD' ? undefined : document.body);
}

function precompute(document: unknown, cacheControl: string): PrecomputedDocument {
  const body = Buffer.from(JSON.stringify(document), 'utf8');
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url')}"`, cacheControl };
}

/** RFC 9110 §13.1.2: `*`, or any listed tag equal under weak comparison (a `W/` prefix is ignored). */
function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((listed) => {
    const tag = listed.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}
