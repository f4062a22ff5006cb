import { ConfigError, loadConfig } from './app-config';

const HEX_KEY = 'a'.repeat(64);
const BASE64_KEY = Buffer.alloc(32, 7).toString('base64');

function expectConfigError(env: NodeJS.ProcessEnv, variable: string, reason: RegExp): void {
  let thrown: unknown;
  try {
    loadConfig(env);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ConfigError);
  expect((thrown as ConfigError).variable).toBe(variable);
  expect((thrown as ConfigError).message).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
  expect((thrown as ConfigError).message).toMatch(reason);
}

describe(loadConfig.name, () => {
  it('applies the documented defaults to an empty environment', () => {
    expect(loadConfig({})).toEqual({
      nodeEnv: 'development',
      logLevel: 'info',
      databaseUrl: undefined,
      port: 8080,
      host: '0.0.0.0',
      externalUrl: 'http://localhost:8080',
      idTokenIssuerUrl: 'http://localhost:8080',
      rootToken: undefined,
      keyEncryptionKey: undefined,
      keyPublishLeadSeconds: 86400,
      dataDir: './.data',
      repositoriesDir: './.data/repositories',
      maxPushBytes: 512 * 1024 * 1024,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://u:p@db:5432/lanyard',
      PORT: '9000',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      LANYARD_EXTERNAL_URL: 'https://ci.example.com/gitlab',
      LANYARD_ID_TOKEN_ISSUER_URL: 'https://oidc.example.org/lanyard',
      LANYARD_ROOT_TOKEN: 'glpat-0123456789abcdefghij',
      LANYARD_KEY_ENCRYPTION_KEY: HEX_KEY,
      LANYARD_KEY_PUBLISH_LEAD: '2h',
      LANYARD_DATA_DIR: '/var/lib/lanyard',
      LANYARD_REPOSITORIES_DIR: '/srv/git',
      LANYARD_MAX_PUSH_SIZE: '100m',
    });
    expect(config).toMatchObject({
      nodeEnv: 'production',
      logLevel: 'debug',
      databaseUrl: 'postgresql://u:p@db:5432/lanyard',
      port: 9000,
      host: '127.0.0.1',
      externalUrl: 'https://ci.example.com/gitlab',
      idTokenIssuerUrl: 'https://oidc.example.org/lanyard',
      rootToken: 'glpat-0123456789abcdefghij',
      keyPublishLeadSeconds: 7200,
      dataDir: '/var/lib/lanyard',
      repositoriesDir: '/srv/git',
      maxPushBytes: 100 * 1024 * 1024,
    });
    expect(config.keyEncryptionKey).toEqual(Buffer.from(HEX_KEY, 'hex'));
  });

  it('with only PORT set, the external URL and the issuer follow it (issue 18 item 16)', () => {
    expect(loadConfig({ PORT: '3456' })).toMatchObject({
      port: 3456,
      externalUrl: 'http://localhost:3456',
      idTokenIssuerUrl: 'http://localhost:3456',
    });
  });

  it('an issuer URL, when set, leaves the external URL alone', () => {
    expect(loadConfig({ LANYARD_ID_TOKEN_ISSUER_URL: 'https://static.example.org/oidc' })).toMatchObject({
      externalUrl: 'http://localhost:8080',
      idTokenIssuerUrl: 'https://static.example.org/oidc',
    });
  });

  it.each(['development', 'production', 'test'])('accepts NODE_ENV=%s', (nodeEnv) => {
    const production = { LANYARD_EXTERNAL_URL: 'https://ci.example.com', LANYARD_KEY_ENCRYPTION_KEY: HEX_KEY };
    expect(loadConfig({ ...production, NODE_ENV: nodeEnv }).nodeEnv).toBe(nodeEnv);
  });

  it.each(['fatal', 'error', 'warn', 'info', 'debug', 'verbose'])('accepts LOG_LEVEL=%s', (level) => {
    expect(loadConfig({ LOG_LEVEL: level }).logLevel).toBe(level);
  });

  it.each(['::', '0.0.0.0', '127.0.0.1', 'localhost', 'lanyard.internal'])('accepts HOST=%s', (host) => {
    expect(loadConfig({ HOST: host }).host).toBe(host);
  });

  it('accepts a base64 key encryption key', () => {
    expect(loadConfig({ LANYARD_KEY_ENCRYPTION_KEY: BASE64_KEY }).keyEncryptionKey).toEqual(Buffer.alloc(32, 7));
  });

  it.each([
    ['3600', 3600],
    ['90s', 90],
    ['30m', 1800],
    ['24h', 86400],
    ['1d', 86400],
  ])('parses LANYARD_KEY_PUBLISH_LEAD=%s as %i seconds', (raw, seconds) => {
    expect(loadConfig({ LANYARD_KEY_PUBLISH_LEAD: raw }).keyPublishLeadSeconds).toBe(seconds);
  });

  it.each([
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL', /must be a URL/],
    [{ DATABASE_URL: 'mysql://root@localhost/db' }, 'DATABASE_URL', /postgres:\/\//],
    [{ PORT: 'eighty' }, 'PORT', /integer between 0 and 65535/],
    [{ PORT: '65536' }, 'PORT', /integer between 0 and 65535/],
    [{ PORT: '-1' }, 'PORT', /integer/],
    [{ NODE_ENV: 'prod' }, 'NODE_ENV', /must be one of development, production, test$/],
    [{ NODE_ENV: 'Production' }, 'NODE_ENV', /must be one of/],
    [{ LOG_LEVEL: 'trace' }, 'LOG_LEVEL', /must be one of fatal, error, warn, info, debug, verbose$/],
    [{ HOST: 'http://0.0.0.0' }, 'HOST', /IP address or a host name/],
    [{ HOST: 'two words' }, 'HOST', /IP address or a host name/],
    [{ LANYARD_ID_TOKEN_ISSUER_URL: 'oidc.example.org' }, 'LANYARD_ID_TOKEN_ISSUER_URL', /absolute URL/],
    [{ LANYARD_ID_TOKEN_ISSUER_URL: 'https://oidc.example.org/' }, 'LANYARD_ID_TOKEN_ISSUER_URL', /must not end with a slash/],
    [
      {
        NODE_ENV: 'production',
        LANYARD_KEY_ENCRYPTION_KEY: HEX_KEY,
        LANYARD_EXTERNAL_URL: 'https://ci.example.com',
        LANYARD_ID_TOKEN_ISSUER_URL: 'http://oidc.example.org',
      },
      'LANYARD_ID_TOKEN_ISSUER_URL',
      /https when NODE_ENV=production/,
    ],
    [{ LANYARD_EXTERNAL_URL: 'ci.example.com' }, 'LANYARD_EXTERNAL_URL', /absolute URL/],
    [{ LANYARD_EXTERNAL_URL: 'ftp://ci.example.com' }, 'LANYARD_EXTERNAL_URL', /http or https/],
    [{ LANYARD_EXTERNAL_URL: 'https://ci.example.com/' }, 'LANYARD_EXTERNAL_URL', /must not end with a slash/],
    [{ LANYARD_EXTERNAL_URL: 'https://ci.example.com?x=1' }, 'LANYARD_EXTERNAL_URL', /query or a fragment/],
    [{ LANYARD_EXTERNAL_URL: 'https://u:p@ci.example.com' }, 'LANYARD_EXTERNAL_URL', /credentials/],
    [
      { NODE_ENV: 'production', LANYARD_KEY_ENCRYPTION_KEY: HEX_KEY, LANYARD_EXTERNAL_URL: 'http://ci.example.com' },
      'LANYARD_EXTERNAL_URL',
      /https when NODE_ENV=production/,
    ],
    [
      { NODE_ENV: 'production', LANYARD_EXTERNAL_URL: 'https://ci.example.com' },
      'LANYARD_KEY_ENCRYPTION_KEY',
      /required when NODE_ENV=production/,
    ],
    [{ LANYARD_KEY_ENCRYPTION_KEY: 'abcd' }, 'LANYARD_KEY_ENCRYPTION_KEY', /32 bytes/],
    [{ LANYARD_KEY_ENCRYPTION_KEY: 'a'.repeat(63) + 'g' }, 'LANYARD_KEY_ENCRYPTION_KEY', /32 bytes/],
    [{ LANYARD_ROOT_TOKEN: 'short' }, 'LANYARD_ROOT_TOKEN', /at least 20 printable characters/],
    [{ LANYARD_ROOT_TOKEN: 'has a space in it, long enough' }, 'LANYARD_ROOT_TOKEN', /without spaces/],
    [{ LANYARD_KEY_PUBLISH_LEAD: '1w' }, 'LANYARD_KEY_PUBLISH_LEAD', /duration/],
    [{ LANYARD_KEY_PUBLISH_LEAD: '-5' }, 'LANYARD_KEY_PUBLISH_LEAD', /duration/],
  ])('rejects %j naming %s', (env, variable, reason) => {
    expectConfigError(env, variable, reason);
  });

  describe('LANYARD_KEY_PUBLISH_LEAD floor (15m: replica refresh + jose cache and cooldown, issue 7 item 11)', () => {
    const production = { NODE_ENV: 'production', LANYARD_EXTERNAL_URL: 'https://ci.example.com', LANYARD_KEY_ENCRYPTION_KEY: HEX_KEY };

    it.each([['0'], ['2s'], ['10m'], ['899']])('refuses %s in production, naming the variable and the floor', (lead) => {
      expectConfigError(
        { ...production, LANYARD_KEY_PUBLISH_LEAD: lead },
        'LANYARD_KEY_PUBLISH_LEAD',
        /shorter than the 15m floor: .*NODE_ENV=production requires at least 15m$/,
      );
    });

    it.each([
      ['15m', 900],
      ['24h', 86_400],
    ])('accepts %s in production', (lead, seconds) => {
      expect(loadConfig({ ...production, LANYARD_KEY_PUBLISH_LEAD: lead }).keyPublishLeadSeconds).toBe(seconds);
    });

    it('allows a short lead outside production (tests rotate in seconds; the signing keys warn at start)', () => {
      expect(loadConfig({ NODE_ENV: 'test', LANYARD_KEY_PUBLISH_LEAD: '0' }).keyPublishLeadSeconds).toBe(0);
      expect(loadConfig({ LANYARD_KEY_PUBLISH_LEAD: '2s' }).keyPublishLeadSeconds).toBe(2);
    });
  });

  it('never echoes a rejected secret back in the message', () => {
    const secret = 'short-secret';
    expect(() => loadConfig({ LANYARD_ROOT_TOKEN: secret })).toThrow(ConfigError);
    try {
      loadConfig({ LANYARD_ROOT_TOKEN: secret });
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });
});

describe('LANYARD_METRICS_TOKEN (GET /-/metrics, issue 18 item 13)', () => {
  it('leaves metrics off when unset or empty', () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ LANYARD_METRICS_TOKEN: '' }).metricsToken).toBeUndefined();
  });

  it('reads the token as given', () => {
    expect(loadConfig({ LANYARD_METRICS_TOKEN: 'metrics-0123456789abcdef' }).metricsToken).toBe('metrics-0123456789abcdef');
  });

  it.each([
    ['short', /at least 20 printable characters/],
    ['has a space in it, long enough', /without spaces/],
  ])('rejects %j', (token, reason) => {
    expectConfigError({ LANYARD_METRICS_TOKEN: token }, 'LANYARD_METRICS_TOKEN', reason);
  });
});
