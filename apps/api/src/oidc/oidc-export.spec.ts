import type { PublicSigningJwk } from '@lanyard/id-tokens';
import { oidcExportFiles } from './oidc-export';

const KEY = { kty: 'RSA', kid: 'k1', use: 'sig', alg: 'RS256', n: 'n', e: 'AQAB' } as PublicSigningJwk;

describe(oidcExportFiles.name, () => {
  it('writes discovery for the issuer, and the key set where its jwks_uri points', () => {
    const [discovery, jwks] = oidcExportFiles('https://static.example.org/lanyard', { keys: [KEY] });
    expect(discovery.path).toBe('.well-known/openid-configuration');
    const document = JSON.parse(discovery.body);
    expect(document).toMatchObject({
      issuer: 'https://static.example.org/lanyard',
      jwks_uri: 'https://static.example.org/lanyard/oauth/discovery/keys',
    });
    expect(`https://static.example.org/lanyard/${jwks.path}`).toBe(document.jwks_uri);
    expect(JSON.parse(jwks.body)).toEqual({ keys: [KEY] });
  });
});
