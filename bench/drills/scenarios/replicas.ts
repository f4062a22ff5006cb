import { JWKS_REFRESH_INTERVAL_SECONDS } from '@lanyard/id-tokens';
import { decodeProtectedHeader } from 'jose';
import { HttpClient } from '../../support/http';
import { freshDatabase, type DrillContext, type DrillResult } from '../support/context';
import { sleep, type MintedToken } from '../support/fleet';
import { ledgerFigures, round } from '../support/figures';
import { readLedger } from '../support/ledger';
import { freePort } from '../../support/run-support';
import { serviceSettings, startService } from '../support/service';
import { SteadyLoad } from '../support/steady-load';
import { TokenChecks } from '../support/token-checks';
import { prepareWorkload } from '../support/workload';

const RUNNERS = 16;
const PAUSE_MS = 100;
/** Short, so the drill stays short: a key added through one replica may sign a minute later (development allows it). */
const LEAD_S = 60;
const TAIL_MS = 30_000;
/** Both replicas are reached through this address, as behind a load balancer: the tokens' `iss`. */
const EXTERNAL_URL = 'http://lanyard-replicas.drill.test';
const KEYS_PATH = '/oauth/discovery/keys';

/**
 * Drill 5: two service processes on one database, runners spread over both request by request, a rotation (add,
 * activate) through the first. Promise: every job assigned once; both publish the same JWKS within the refresh
 * interval (30 s); a token minted by either verifies against the other's discovery document and key set.
 */
export async function replicasDrill(context: DrillContext): Promise<DrillResult> {
  const first = await serviceSettings(context.workDir, await freshDatabase(context, 'replicas'), {
    externalUrl: EXTERNAL_URL,
    publishLead: `${LEAD_S}s`,
  });
  const second = { ...first, port: await freePort() };
  const urls = [first, second].map((settings) => `http://127.0.0.1:${settings.port}`);
  const servers = [await startService(first), await startService(second)];
  for (const server of servers) context.defer(`stop replica ${server.pid}`, () => server.stop());
  const clients = urls.map((url) => new HttpClient(url, RUNNERS + 4));
  context.defer('close the runners', () => clients.forEach((client) => client.close()));

  const problems: string[] = [];
  const discovery = await Promise.all(clients.map((client) => client.send('GET', '/.well-known/openid-configuration')));
  for (const [index, answer] of discovery.entries()) {
    const document = JSON.parse(answer.body) as { issuer: string; jwks_uri: string };
    if (document.issuer !== EXTERNAL_URL || new URL(document.jwks_uri).pathname !== KEYS_PATH)
      problems.push(`replica ${index + 1}'s discovery names ${document.issuer} and ${document.jwks_uri}`);
  }
  const other = (token: MintedToken) => `${urls[1 - token.replica]}${KEYS_PATH}`;
  const checks = new TokenChecks(EXTERNAL_URL, other);
  for (const url of urls) checks.addJoseVerifier(`${url}${KEYS_PATH}`);

  const workload = await prepareWorkload(urls[0], first.rootToken, RUNNERS);
  const signedBy = new Map<string, [number, number]>();
  const load = new SteadyLoad(workload, clients, {
    pauseMs: PAUSE_MS,
    onDelivery: (delivery) => {
      const kid = String(decodeProtectedHeader(delivery.tokens[0].jwt).kid);
      const counts = signedBy.get(kid) ?? [0, 0];
      counts[delivery.replica] += 1;
      signedBy.set(kid, counts);
      checks.check(delivery);
    },
  });
  const started = performance.now();
  await load.start();
  await sleep(5000);

  const admin = (method: string, path: string, expected: number) =>
    workload.api.expect<{ kid: string; usable_from: string }>(expected, method, `/api/v4/admin/ci/id_token_signing_keys${path}`, {
      token: first.rootToken,
    });
  const added = await admin('POST', '', 201);
  const addedAt = performance.now();
  const published = await sameKeySets(clients, (kids) => kids.includes(added.kid));
  const publishMs = performance.now() - addedAt;
  context.progress(`added ${added.kid} through replica 1: both publish it after ${round(publishMs, 0)} ms`);
  await sleep(Math.max(0, Date.parse(added.usable_from) - Date.now()) + 1000);
  await admin('POST', `/${added.kid}/activate`, 200);
  const activatedAt = performance.now();
  while (!(signedBy.get(added.kid)?.[1] ?? 0) && performance.now() - activatedAt < 60_000) await sleep(50);
  const switchMs = performance.now() - activatedAt;
  const afterActivation = await sameKeySets(clients, () => true);
  context.progress(`activated through replica 1: replica 2 signs with it after ${round(switchMs, 0)} ms`);
  await sleep(TAIL_MS);
  await load.finish();

  const ledger = await readLedger(first.databaseUrl, workload.pipelineIds, load.fleet.record.deliveries, {
    finished: true,
    lostAnswersAllowed: false,
  });
  const tokens = await checks.settle();
  const limitMs = JWKS_REFRESH_INTERVAL_SECONDS * 1000;
  if (!published || publishMs > limitMs)
    problems.push(`the replicas published the new key ${round(publishMs, 0)} ms apart (limit ${limitMs})`);
  if (!afterActivation) problems.push('the replicas publish different key sets after the activation');
  if (switchMs > limitMs) problems.push(`replica 2 signed with the new key only ${round(switchMs, 0)} ms after its activation`);
  const perReplica = [0, 1].map((replica) => load.fleet.record.deliveries.filter((delivery) => delivery.replica === replica).length);
  if (perReplica.some((count) => count === 0)) problems.push(`one replica handed out no job (${perReplica.join(' / ')})`);
  return {
    figures: {
      runners: RUNNERS,
      jobs_via_replica_1: perReplica[0],
      jobs_via_replica_2: perReplica[1],
      new_key_published_by_both_ms: round(publishMs, 0),
      replica_2_signs_with_new_key_ms: round(switchMs, 0),
      same_jwks_after_activation: afterActivation,
      publish_lead_s: LEAD_S,
      wall_s: round((performance.now() - started) / 1000, 0),
      ...ledgerFigures(ledger),
      ...tokens.figures,
    },
    problems: [...problems, ...ledger.problems, ...tokens.problems, ...load.fleet.record.unexpected.slice(0, 5)],
  };
}

/** Polls both replicas' JWKS until they hold the same keys and `wanted` holds, for at most twice the refresh interval. */
async function sameKeySets(clients: readonly HttpClient[], wanted: (kids: string[]) => boolean): Promise<boolean> {
  const deadline = performance.now() + 2 * JWKS_REFRESH_INTERVAL_SECONDS * 1000;
  while (performance.now() < deadline) {
    const sets = await Promise.all(
      clients.map(async (client) => {
        const answer = await client.send('GET', KEYS_PATH);
        return (JSON.parse(answer.body) as { keys: { kid: string }[] }).keys.map((key) => key.kid).sort();
      }),
    );
    if (sets[0].join() === sets[1].join() && wanted(sets[0])) return true;
    await sleep(50);
  }
  return false;
}
