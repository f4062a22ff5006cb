import { JsonLogger } from './json-logger';
import { redactSecrets, redactUrl } from './redact';

const JWT = 'eyJhbGciOiJSUzI1NiIsImtpZCI6ImFiYyIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJwcm9qZWN0X3BhdGg6YS9iIn0.c2lnbmF0dXJlLXZhbHVlLWhlcmU';

describe(redactSecrets.name, () => {
  it.each([
    ['a JWT anywhere in the text', `token=${JWT} tail`, JWT],
    ['a personal access token', 'used glpat-abcdefghijklmnop1234 here', 'glpat-abcdefghijklmnop1234'],
    ['a runner token', 'runner glrt-abcdefghijklmnop1234', 'glrt-abcdefghijklmnop1234'],
    ['a job token', 'job glcbt-abcdefghijklmnop1234', 'glcbt-abcdefghijklmnop1234'],
    ['a private_token query parameter', '/api/v4/user?private_token=s3cr3tvalue&x=1', 's3cr3tvalue'],
    ['a token query parameter', '/api/v4/jobs?token=another-secret', 'another-secret'],
    ['a percent-encoded underscore in the name', '/api/v4/user?private%5Ftoken=s3cr3tvalue', 's3cr3tvalue'],
    ['a percent-encoded first letter', '/api/v4/user?%70rivate_token=s3cr3tvalue', 's3cr3tvalue'],
    ['a fully encoded name in upper-case hex', '/u?%50%52%49%56%41%54%45%5F%54%4F%4B%45%4E=s3cr3tvalue', 's3cr3tvalue'],
    ['an encoded job_token', '/u?job%5ftoken=s3cr3tvalue', 's3cr3tvalue'],
    ['a PEM private key', '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----', 'MIIEvQIBADANBg'],
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

describe(redactUrl.name, () => {
  it.each([
    ['a URL without a query', '/api/v4/user', '/api/v4/user'],
    ['ordinary parameters', '/api/v4/projects?page=2&per_page=20', '/api/v4/projects?page=2&per_page=20'],
    ['private_token', '/api/v4/user?private_token=s3cr3t&page=2', '/api/v4/user?private_token=[REDACTED]&page=2'],
    ['a %5F in the name', '/api/v4/user?private%5Ftoken=s3cr3t', '/api/v4/user?private%5Ftoken=[REDACTED]'],
    ['a %70 in the name', '/api/v4/user?%70rivate_token=s3cr3t', '/api/v4/user?%70rivate_token=[REDACTED]'],
    ['a fully encoded name', '/u?%70%72%69%76%61%74%65%5F%74%6F%6B%65%6E=s3cr3t', '/u?%70%72%69%76%61%74%65%5F%74%6F%6B%65%6E=[REDACTED]'],
    [
      'an array suffix',
      '/u?private_token%5B%5D=s3cr3t&private_token[x]=s3cr3t',
      '/u?private_token%5B%5D=[REDACTED]&private_token[x]=[REDACTED]',
    ],
    [
      'job_token, token, access_token',
      '/u?job_token=a&token=b&access_token=c',
      '/u?job_token=[REDACTED]&token=[REDACTED]&access_token=[REDACTED]',
    ],
    ['header names used as parameters', '/u?PRIVATE-TOKEN=a&JOB%2DTOKEN=b', '/u?PRIVATE-TOKEN=[REDACTED]&JOB%2DTOKEN=[REDACTED]'],
    ['a value holding "="', '/u?private_token=a=b', '/u?private_token=[REDACTED]'],
    ['a repeated parameter', '/u?private_token=a&private_token=b', '/u?private_token=[REDACTED]&private_token=[REDACTED]'],
    ['an undecodable name, left as it is', '/u?%E0%A4%A=1&token=x', '/u?%E0%A4%A=1&token=[REDACTED]'],
    ['a runner route: no query at all', '/api/v4/jobs/request?to%6Ben=glrt-x&a=1', '/api/v4/jobs/request?[REDACTED QUERY]'],
    ['a job update', '/api/v4/jobs/12?token=x', '/api/v4/jobs/12?[REDACTED QUERY]'],
    ['runner verification', '/api/v4/runners/verify?token=x', '/api/v4/runners/verify?[REDACTED QUERY]'],
  ])('masks %s', (_case, url, expected) => {
    expect(redactUrl(url)).toBe(expected);
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
