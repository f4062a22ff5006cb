import { MIN_KEY_PUBLISH_LEAD_SECONDS } from '@lanyard/id-tokens';
import { decodeProtectedHeader } from 'jose';
import { HttpClient } from '../../support/http';
import { freshDatabase, type DrillContext, type DrillResult } from '../support/context';
import { sleep } from '../support/fleet';
import { ledgerFigures, round } from '../support/figures';
import { readLedger } from '../support/ledger';
import { serviceSettings, startService } from '../support/service';
import { SteadyLoad } from '../support/steady-load';
import { TokenChecks } from '../support/token-checks';
import { prepareWorkload } from '../support/workload';

const RUNNERS = 4;
/** The production floor; DRILL_ROTATION_LEAD (seconds) shortens it only to try the drill itself quickly. */
const LEAD_S = Number(process.env.DRILL_ROTATION_LEAD || MIN_KEY_PUBLISH_LEAD_SECONDS);
/** About 10 pickups a second: steady load for half an hour without crowding a small shared machine. */
const PAUSE_MS = 300;
/** A relying party that starts later fetches the key set at another moment: one more every so often. */
const NEW_VERIFIER_EVERY_MS = 120_000;
/** Load after the last activation, so that tokens of the newest key meet verifiers that cached the older set. */
const TAIL_MS = 60_000;

interface PresentedKey {
  kid: string;
  state: string;
  usable_from: string;
}

/**
 * Drill 3: key rotation under load with the shortest publish lead production accepts (15 min): each cycle adds a key,
 * waits the lead, and activates it (which retires the key before), while runners pick up jobs and long-lived jose
 * verifiers (default caching, one more every 2 min) and PyJWT check every token. Promise: zero verification failures.
 */
export async function rotationDrill(context: DrillContext): Promise<DrillResult> {
  const settings = await serviceSettings(context.workDir, await freshDatabase(context, 'rotation'), {
    publishLead: `${LEAD_S}s`,
  });
  const server = await startService(settings);
  context.defer('stop the service', () => server.stop());
  const workload = await prepareWorkload(settings.externalUrl, settings.rootToken, RUNNERS);
  const jwks = `${settings.externalUrl}/oauth/discovery/keys`;
  const checks = new TokenChecks(settings.externalUrl, () => jwks);
  checks.addJoseVerifier(jwks);
  const kids = new Map<string, number>();
  const client = new HttpClient(settings.externalUrl, RUNNERS + 2);
  context.defer('close the runners', () => client.close());
  const load = new SteadyLoad(workload, [client], {
    pauseMs: PAUSE_MS,
    onDelivery: (delivery) => {
      for (const token of delivery.tokens) {
        const kid = String(decodeProtectedHeader(token.jwt).kid);
        kids.set(kid, (kids.get(kid) ?? 0) + 1);
      }
      checks.check(delivery);
    },
  });
  const verifierTimer = setInterval(() => checks.addJoseVerifier(jwks), NEW_VERIFIER_EVERY_MS);
  context.defer('stop adding verifiers', () => clearInterval(verifierTimer));
  await load.start();

  const admin = (method: string, path: string, expected = 200) =>
    workload.api.expect<PresentedKey>(expected, method, `/api/v4/admin/ci/id_token_signing_keys${path}`, { token: settings.rootToken });
  const cycles: string[] = [];
  const started = performance.now();
  for (let cycle = 1; cycle <= context.options.rotationCycles; cycle++) {
    const added = await admin('POST', '', 201);
    context.progress(`cycle ${cycle}: added ${added.kid}, usable from ${added.usable_from}; runners keep picking up`);
    await sleep(Math.max(0, Date.parse(added.usable_from) - Date.now()) + 1000);
    const activated = await admin('POST', `/${added.kid}/activate`);
    cycles.push(activated.kid);
    context.progress(`cycle ${cycle}: activated ${activated.kid}; ${load.fleet.record.deliveries.length} jobs so far`);
  }
  await sleep(TAIL_MS);
  clearInterval(verifierTimer);
  await load.finish();
  const wallS = (performance.now() - started) / 1000;
  const keys = await workload.api.expect<PresentedKey[]>(200, 'GET', '/api/v4/admin/ci/id_token_signing_keys', {
    token: settings.rootToken,
  });
  const ledger = await readLedger(settings.databaseUrl, workload.pipelineIds, load.fleet.record.deliveries, {
    finished: true,
    lostAnswersAllowed: false,
  });
  const tokens = await checks.settle();
  const problems = [...ledger.problems, ...tokens.problems, ...load.fleet.record.unexpected.slice(0, 5)];
  const retired = keys.filter((key) => key.state === 'retired').length;
  if (retired !== cycles.length) problems.push(`${retired} keys are retired after ${cycles.length} activations`);
  const unused = cycles.filter((kid) => !kids.has(kid));
  if (unused.length) problems.push(`activated keys that signed no token: ${unused.join(', ')}`);
  return {
    figures: {
      publish_lead_s: LEAD_S,
      cycles: cycles.length,
      keys_that_signed: kids.size,
      retired_keys: retired,
      runners: RUNNERS,
      wall_s: round(wallS, 0),
      ...ledgerFigures(ledger),
      ...tokens.figures,
    },
    problems,
  };
}
