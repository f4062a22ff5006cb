import { HttpClient } from '../../support/http';
import type { DrillContext, DrillResult } from '../support/context';
import { sleep } from '../support/fleet';
import { ledgerFigures, round } from '../support/figures';
import { readLedger } from '../support/ledger';
import { deliveredAtLeast, ownClusterRun } from '../support/own-cluster-service';

const RUNNERS = 16;
const JOBS = 2000;
const OUTAGE_MS = 12_000;

/**
 * Drill 2: the drill's own PostgreSQL stopped (`pg_ctl stop -m fast`) for 12 s a quarter into a drain. Promise: during
 * it `POST /jobs/request` answers 503 with Retry-After, discovery and JWKS answer 200; afterwards the same service
 * process recovers by itself and every job is assigned exactly once.
 */
export async function outageDrill(context: DrillContext): Promise<DrillResult> {
  const run = await ownClusterRun(context, 'outage', RUNNERS, JOBS);
  const drain = run.fleet.run();
  await deliveredAtLeast(run.fleet, JOBS / 4);
  const before = run.fleet.record.unavailable;
  context.progress(`${run.fleet.record.deliveries.length} jobs received: stopping the cluster for ${OUTAGE_MS / 1000} s`);
  const stoppedAt = performance.now();
  await run.cluster.stop();
  const probes = await probeDocuments(run.settings.externalUrl, stoppedAt + OUTAGE_MS);
  const duringOutage = run.fleet.record.unavailable - before;
  const deliveredDuring = run.fleet.record.deliveries.length;
  await run.cluster.start();
  const outageS = (performance.now() - stoppedAt) / 1000;
  const restartedAt = performance.now();
  context.progress(`cluster started again after ${round(outageS, 1)} s; the same service process continues`);
  while (run.fleet.record.deliveries.length === deliveredDuring) await sleep(20);
  const recoveryS = (performance.now() - restartedAt) / 1000;
  await drain;
  const ledger = await readLedger(run.settings.databaseUrl, run.workload.pipelineIds, run.fleet.record.deliveries, {
    finished: true,
    lostAnswersAllowed: false,
  });
  const tokens = await run.checks.settle();
  const problems = [...ledger.problems, ...tokens.problems, ...run.fleet.record.unexpected.slice(0, 5)];
  if (duringOutage === 0) problems.push('no 503 answered POST /jobs/request during the outage');
  if (run.fleet.record.retryAfterMissing) problems.push(`${run.fleet.record.retryAfterMissing} answers 503 came without Retry-After`);
  if (probes.discoveryFailures) problems.push(`discovery failed ${probes.discoveryFailures} of ${probes.rounds} times during the outage`);
  if (probes.jwksFailures) problems.push(`JWKS failed ${probes.jwksFailures} of ${probes.rounds} times during the outage`);
  if (!isAlive(run.server.pid)) problems.push('the service process did not survive the outage');
  return {
    figures: {
      runners: RUNNERS,
      outage_s: round(outageS, 1),
      jobs_request_503_during_outage: duringOutage,
      retry_after_missing: run.fleet.record.retryAfterMissing,
      discovery_and_jwks_probes: probes.rounds,
      discovery_non_200: probes.discoveryFailures,
      jwks_non_200: probes.jwksFailures,
      recovery_s: round(recoveryS, 2),
      service_restarts: 0,
      ...ledgerFigures(ledger),
      ...tokens.figures,
    },
    problems,
  };
}

/** Discovery and JWKS, every 250 ms until `until`: each must answer 200. */
async function probeDocuments(
  baseUrl: string,
  until: number,
): Promise<{ rounds: number; discoveryFailures: number; jwksFailures: number }> {
  const client = new HttpClient(baseUrl, 2);
  const tally = { rounds: 0, discoveryFailures: 0, jwksFailures: 0 };
  try {
    while (performance.now() < until) {
      const [discovery, jwks] = await Promise.all([
        client.send('GET', '/.well-known/openid-configuration').catch(() => null),
        client.send('GET', '/oauth/discovery/keys').catch(() => null),
      ]);
      tally.rounds += 1;
      if (discovery?.status !== 200) tally.discoveryFailures += 1;
      if (jwks?.status !== 200) tally.jwksFailures += 1;
      await sleep(250);
    }
  } finally {
    client.close();
  }
  return tally;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
