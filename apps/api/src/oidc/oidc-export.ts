import type { PublicSigningJwk } from '@lanyard/id-tokens';
import { discoveryDocument } from './discovery-document';

export interface ExportedFile {
  /** Relative to the issuer URL: the file is served at `${issuer}/${path}`. */
  readonly path: string;
  readonly body: string;
}

/**
 * What a public static host serves for a private instance (GitLab's `ci_id_token_issuer_url` recipe): discovery,
 * whose `issuer` and `jwks_uri` are under the issuer URL, and the key set at that `jwks_uri`.
 */
export function oidcExportFiles(issuer: string, jwks: { readonly keys: readonly PublicSigningJwk[] }): ExportedFile[] {
  const discovery = discoveryDocument(issuer);
  const jwksPath = discovery.jwks_uri.slice(issuer.length + 1);
  return [
    { path: '.well-known/openid-configuration', body: JSON.stringify(discovery, null, 2) + '\n' },
    { path: jwksPath, body: JSON.stringify(jwks, null, 2) + '\n' },
  ];
}
