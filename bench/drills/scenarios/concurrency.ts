import { HttpClient } from '../../support/http';
import { summarize } from '../../support/stats';
import { freshDatabase, type DrillContext, type DrillResult } from '../support/context';
import { RunnerFleet } from '../support/fleet';
import { readLedger } from '../support/ledger';
import { serviceSettings, startService } from '../support/service';
import { TokenChecks } from '../support/token-checks';
import { prepareWorkload } from '../support/workload';
import { ledgerFigures, round } from '../support/figures';

const RUNNERS = 32;
const JOBS = Number(process.env.DRILL_JOBS || 5000);

/**
 * Drill 1: 32 runners drain ≥ 5,000 two-token jobs from one service on the shared PostgreSQL and report each done.
 * Promise: each job assigned exactly once, one audit row per delivered jti, no jti twice, none lost, none left running.
 */
export async function concurrencyDrill(context: DrillContext): Promise<DrillResult> {
  const settings = await serviceSettings(context.workDir, await freshDatabase(context, 'concurrency'));
  const server = await startService(settings);
  context.defer('stop the service', () => server.stop());
  const workload = await prepareWorkload(settings.externalUrl, settings.rootToken, RUNNERS);
  context.progress(`queueing ${JOBS} jobs`);
  await workload.queue(JOBS);
  const jwks = `${settings.externalUrl}/oauth/discovery/keys`;
  const checks = new TokenChecks(settings.externalUrl, () => jwks);
  checks.addJoseVerifier(jwks);
  const client = new HttpClient(settings.externalUrl, RUNNERS);
  context.defer('close the runners', () => client.close());
  const fleet = new RunnerFleet([client], workload.runnerTokens, { finish: true, onDelivery: (delivery) => checks.check(delivery) });
  context.progress(`${RUNNERS} runners drain the queue`);
  const started = performance.now();
  await fleet.run();
  const wallMs = performance.now() - started;
  const ledger = await readLedger(settings.databaseUrl, workload.pipelineIds, fleet.record.deliveries, {
    finished: true,
    lostAnswersAllowed: false,
  });
  const tokens = await checks.settle();
  const latency = summarize(fleet.record.latenciesMs);
  return {
    figures: {
      runners: RUNNERS,
      ...ledgerFigures(ledger),
      drain_s: round(wallMs / 1000, 1),
      jobs_per_s: round((ledger.delivered / wallMs) * 1000, 1),
      pickup_p99_ms: round(latency.p99, 1),
      ...tokens.figures,
    },
    problems: [...ledger.problems, ...tokens.problems, ...fleet.record.unexpected.slice(0, 5)],
  };
}
