import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppConfig } from '../config/app-config';
import { KeyStore } from '../id-tokens/key-store';
import { OidcDocuments } from './oidc-documents';
import { FAST_PATH_LOG_SAMPLE, oidcFastPath } from './oidc-fast-path';

const config = { externalUrl: 'https://lanyard.example.com', keyPublishLeadSeconds: 86400 } as AppConfig;

function fakeExchange(method: string, url: string) {
  const headers = new Map<string, unknown>();
  const setHeader = (name: string, value: unknown) => headers.set(name.toLowerCase(), value);
  const response = {
    statusCode: 0,
    setHeader,
    writeHead(status: number, fields: Record<string, unknown>) {
      this.statusCode = status;
      for (const [name, value] of Object.entries(fields)) setHeader(name, value);
    },
    end: jest.fn(),
  };
  return {
    request: { method, url, headers: {} } as IncomingMessage,
    response: response as unknown as ServerResponse & typeof response,
    headers,
  };
}

describe(oidcFastPath.name, () => {
  const setUp = () => {
    const logger = { debug: jest.fn(), log: jest.fn() };
    return { logger, handle: oidcFastPath(new OidcDocuments(config, new KeyStore()), logger as never) };
  };

  it('logs one request in FAST_PATH_LOG_SAMPLE, at debug level', () => {
    const { logger, handle } = setUp();
    for (let i = 0; i < 2 * FAST_PATH_LOG_SAMPLE + 1; i++) {
      const { request, response } = fakeExchange('GET', '/oauth/discovery/keys');
      handle(request, response, () => undefined);
    }
    expect(logger.debug).toHaveBeenCalledTimes(3);
    expect(logger.debug).toHaveBeenCalledWith(
      expect.objectContaining({ sampled: `1/${FAST_PATH_LOG_SAMPLE}`, path: '/oauth/discovery/keys', status: 200 }),
    );
    expect(logger.log).not.toHaveBeenCalled();
  });

  it.each([
    ['POST', '/oauth/discovery/keys'],
    ['GET', '/oauth/discovery/keys/'],
    ['GET', '/api/v4/oauth/discovery/keys'],
    ['GET', '/.well-known/openid-configuration/x'],
  ])('passes %s %s on to the application untouched', (method, url) => {
    const { handle } = setUp();
    const { request, response, headers } = fakeExchange(method, url);
    const next = jest.fn();
    handle(request, response, next);
    expect(next).toHaveBeenCalledTimes(1);
    expect(headers.size).toBe(0);
    expect(response.end).not.toHaveBeenCalled();
  });

  it('rebuilds the JWKS bytes and ETag when the key store changes', () => {
    const keys = new KeyStore();
    const documents = new OidcDocuments(config, keys);
    const before = documents.jwks;
    expect(JSON.parse(before.body.toString('utf8'))).toEqual({ keys: [] });
    const jwk = { kty: 'RSA', n: 'AQAB', e: 'AQAB', kid: 'kid-1', use: 'sig', alg: 'RS256' } as const;
    keys.replace([jwk], null, new Date());
    expect(JSON.parse(documents.jwks.body.toString('utf8'))).toEqual({ keys: [jwk] });
    expect(documents.jwks.etag).not.toBe(before.etag);
    expect(documents.at('/-/jwks')).toBe(documents.jwks);
  });
});
