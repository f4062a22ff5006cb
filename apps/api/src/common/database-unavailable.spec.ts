import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { PG_UNIQUE_VIOLATION } from '../database/pg-errors';
import { isDatabaseUnavailable } from './database-unavailable';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe(isDatabaseUnavailable.name, () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a reset connection', withCode('ECONNRESET')],
    ['an admin shutdown (57P01)', withCode('57P01')],
    ['a connection exception class 08', withCode('08006')],
    ['too many connections (53300)', withCode('53300')],
    ['pg closing the socket', new Error('Connection terminated unexpectedly')],
    ['the pool timing out', new Error('timeout exceeded when trying to connect')],
    ['a session the server ended between two statements of a transaction', new QueryRunnerAlreadyReleasedError()],
    ["an entity manager's statement on that released session", new QueryRunnerProviderAlreadyReleasedError()],
    ['pg refusing a client whose connection failed', new Error('Client has encountered a connection error and is not queryable')],
    ['a TypeORM-wrapped driver error', Object.assign(new Error('query failed'), { driverError: withCode('ECONNREFUSED') })],
  ])('recognises %s', (_case, error) => expect(isDatabaseUnavailable(error)).toBe(true));

  it.each([
    ['a unique violation', withCode(PG_UNIQUE_VIOLATION)],
    ['a syntax error', withCode('42601')],
    ['a plain bug', new TypeError('x is undefined')],
    ['a non-error', 'boom'],
    ['null', null],
  ])('does not mistake %s for an outage', (_case, error) => expect(isDatabaseUnavailable(error)).toBe(false));
});
