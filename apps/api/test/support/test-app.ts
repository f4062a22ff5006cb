import { INestApplication } from '@nestjs/common';
import { appendFileSync } from 'node:fs';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { Clock } from '../../src/clock/clock';
import { loadConfig } from '../../src/config/app-config';
import { createApp } from '../../src/create-app';
import { JsonLogger } from '../../src/logging/json-logger';

export interface TestApp {
  readonly app: INestApplication;
  readonly http: TestAgent;
  readonly rootToken: string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Replaces the system clock (e.g. a `TestClock`) for every time-dependent rule of the app. */
  readonly clock?: Clock;
}

/** The real application on the test database (see global-setup.js); its log goes to tmp/test-server.log. */
export async function startTestApp(env: NodeJS.ProcessEnv = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const config = loadConfig({ ...process.env, ...env });
  const logFile = process.env.LANYARD_TEST_LOG!;
  const logger = new JsonLogger((line) => appendFileSync(logFile, line + '\n'));
  const poolSize = Number(process.env.LANYARD_TEST_POOL_SIZE ?? 4);
  const { app } = await createApp(config, { url: config.databaseUrl!, poolSize }, logger, options.clock);
  return {
    app,
    http: request(app.getHttpServer()),
    rootToken: config.rootToken!,
    close: () => app.close(),
  };
}

let sequence = 0;

/** A name unique across test files sharing one database. */
export function uniqueName(prefix: string): string {
  sequence += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${sequence}`;
}

export interface TestUser {
  readonly id: number;
  readonly username: string;
  readonly token: string;
}

/** A new user and a personal access token for them, made through the admin API. */
export async function createUser(testApp: TestApp, prefix = 'user'): Promise<TestUser> {
  const username = uniqueName(prefix);
  const user = await testApp.http
    .post('/api/v4/users')
    .set('PRIVATE-TOKEN', testApp.rootToken)
    .send({ username, name: username, email: `${username}@example.com` })
    .expect(201);
  const token = await testApp.http
    .post(`/api/v4/users/${user.body.id}/personal_access_tokens`)
    .set('PRIVATE-TOKEN', testApp.rootToken)
    .send({ name: 'test', scopes: ['api'] })
    .expect(201);
  return { id: user.body.id, username, token: token.body.token };
}
