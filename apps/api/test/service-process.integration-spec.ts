import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceProcess, freePort, spawnService, waitUntilReady } from './support/service-process';

const ROUTE_LISTING = (line: Record<string, unknown>) => line.context === 'RoutesResolver' || line.context === 'RouterExplorer';

/**
 * The service as a process, as an operator starts it (issue 18 items 14, 15, 16): two full starts on one embedded
 * data directory, with only PORT in the environment and the rest in `.env`. Process starts are few: CPU is shared.
 */
describe('the service process', () => {
  let dir: string;
  let port: number;
  let running: ServiceProcess | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lanyard-process-'));
    port = await freePort();
    // LOG_LEVEL=debug here; the second start overrides it from the environment, which wins.
    writeFileSync(join(dir, '.env'), 'LANYARD_DATA_DIR=./data\nLOG_LEVEL=debug\n');
  });

  afterAll(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  async function createUser(service: ServiceProcess, rootToken: string, username: string): Promise<number> {
    const response = await fetch(`${service.baseUrl}/api/v4/users`, {
      method: 'POST',
      headers: { 'PRIVATE-TOKEN': rootToken, 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, name: username, email: `${username}@example.com` }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: number }).id;
  }

  async function stop(service: ServiceProcess): Promise<void> {
    service.child.kill('SIGTERM');
    expect(await service.exited).toEqual({ code: 0, signal: null });
    expect(service.logged()).toContainEqual(expect.objectContaining({ context: 'Shutdown', msg: 'stopped cleanly' }));
  }

  const printedToken = (service: ServiceProcess) => service.lines.join('\n').match(/\(shown once\): (glpat-[A-Za-z0-9_-]+)/)![1];

  let firstUserId: number;
  let generatedToken: string;
  let resetToken: string;

  it('with only PORT set, reads .env, follows the port in discovery, lists routes at debug, and stops cleanly on SIGTERM', async () => {
    running = spawnService({ PORT: String(port) }, dir, port);
    await waitUntilReady(running);
    const discovery = (await (await fetch(`${running.baseUrl}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(discovery.issuer).toBe(`http://localhost:${port}`);
    expect(discovery.jwks_uri).toBe(`http://localhost:${port}/oauth/discovery/keys`);
    generatedToken = printedToken(running);
    firstUserId = await createUser(running, generatedToken, 'process-first');
    const logged = running.logged();
    expect(logged.filter(ROUTE_LISTING).length).toBeGreaterThan(50);
    expect(logged.filter(ROUTE_LISTING).every((line) => line.level === 'debug')).toBe(true);
    expect(logged).toContainEqual(expect.objectContaining({ msg: expect.stringMatching(/^read settings from \.env/) }));
    await stop(running);
  }, 180_000);

  it('npm run reset-root-token prints a new root token once; it refuses while LANYARD_ROOT_TOKEN is set', async () => {
    const refused = spawnService({ LANYARD_ROOT_TOKEN: 'glpat-configured-root-token-0123' }, dir, 0, 'reset-root-token.ts');
    expect((await refused.exited).code).toBe(1);
    expect(refused.logged()).toEqual([
      expect.objectContaining({
        level: 'fatal',
        msg: expect.stringMatching(/^Invalid configuration: LANYARD_ROOT_TOKEN is set: change its value/),
      }),
    ]);
    const reset = spawnService({}, dir, 0, 'reset-root-token.ts');
    expect(await reset.exited).toEqual({ code: 0, signal: null });
    resetToken = printedToken(reset);
    expect(resetToken).not.toBe(generatedToken);
  }, 120_000);

  it('starts again without crash recovery (ids continue) with the reset token, hides route listings at LOG_LEVEL=info, and keeps a second process off its data directory', async () => {
    running = spawnService({ PORT: String(port), LOG_LEVEL: 'info' }, dir, port);
    await waitUntilReady(running);
    // PostgreSQL's crash recovery replays sequences 32 values ahead: after a clean stop the next id is the next one.
    expect(await createUser(running, resetToken, 'process-second')).toBe(firstUserId + 1);
    const user = (token: string) => fetch(`${running!.baseUrl}/api/v4/user`, { headers: { 'PRIVATE-TOKEN': token } });
    expect((await user(generatedToken)).status).toBe(401);
    expect(running.lines.join('\n')).not.toContain('shown once');
    expect(running.logged().filter(ROUTE_LISTING)).toEqual([]);
    expect(running.logged().length).toBeLessThan(60);

    const intruder = spawnService({}, dir, 0, 'reset-root-token.ts');
    expect((await intruder.exited).code).toBe(1);
    const fatal = intruder.logged().filter((line) => line.level === 'fatal');
    expect(fatal).toEqual([
      expect.objectContaining({
        context: 'reset-root-token',
        msg: expect.stringContaining(`${join(dir, 'data')} is in use by another Lanyard process (pid ${running.child.pid} `),
      }),
    ]);
    await stop(running);
  }, 180_000);

  it('refuses an unknown NODE_ENV with one JSON fatal line', async () => {
    const service = spawnService({ PORT: String(port), NODE_ENV: 'prod' }, dir, port);
    expect((await service.exited).code).toBe(1);
    expect(service.lines.filter((line) => line !== '')).toHaveLength(1);
    expect(JSON.parse(service.lines[0])).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      level: 'fatal',
      context: 'main',
      msg: 'Invalid configuration: NODE_ENV must be one of development, production, test',
    });
  }, 60_000);
});
