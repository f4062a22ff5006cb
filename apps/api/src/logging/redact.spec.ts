import { JsonLogger } from './json-logger';
import { redactSecrets } from './redact';

const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImFiYyIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJwcm9qZWN0X3BhdGg6YS9iIn0.c2lnbmF0dXJlLXZhbHVlLWhlcmU';

describe(redactSecrets.name, () => {
  it.each([
    ['a JWT anywhere in the text', `token=${JWT} tail`, JWT],
    ['a personal access token', 'used glpat-abcdefghijklmnop1234 here', 'glpat-abcdefghijklmnop1234'],
    ['a runner token', 'runner glrt-abcdefghijklmnop1234', 'glrt-abcdefghijklmnop1234'],
    ['a job token', 'job glcbt-abcdefghijklmnop1234', 'glcbt-abcdefghijklmnop1234'],
    ['a private_token query parameter', '/api/v4/user?private_token=s3cr3tvalue&x=1', 's3cr3tvalue'],
    ['a token query parameter', '/api/v4/jobs?token=another-secret', 'another-secret'],
    [
      'a PEM private key',
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----',
      'MIIEvQIBADANBg',
    ],
  ])('masks %s', (_case, text, secret) => {
    const redacted = redactSecrets(text);
    expect(redacted).not.toContain(secret);
    expect(redacted).toContain('[REDACTED');
  });

  it('keeps a JSON log line parseable when a token ends a string value', () => {
    const line = JSON.stringify({ path: '/api/v4/user?private_token=s3cr3t', status: 200 });
    expect(JSON.parse(redactSecrets(line))).toEqual({ path: '/api/v4/user?private_token=[REDACTED]', status: 200 });
  });

  it('leaves ordinary text alone', () => {
    const text = '{"msg":"request","path":"/api/v4/projects/acme%2Fapp?page=2","status":200}';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe(JsonLogger.name, () => {
  it('writes one JSON line per message with level and context, secrets redacted', () => {
    const lines: string[] = [];
    const logger = new JsonLogger((line) => lines.push(line));
    logger.log({ msg: 'request', path: `/x?private_token=glpat-abcdefghijklmnop1234`, value: JWT }, 'http');
    logger.error('boom', 'a stack trace that must not be logged', 'Filter');
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]);
    expect(first).toMatchObject({ level: 'info', context: 'http', msg: 'request' });
    expect(lines[0]).not.toContain('glpat-abcdefghijklmnop1234');
    expect(lines[0]).not.toContain(JWT);
    expect(JSON.parse(lines[1])).toMatchObject({ level: 'error', context: 'Filter', msg: 'boom' });
    expect(lines[1]).not.toContain('stack trace');
  });
});
