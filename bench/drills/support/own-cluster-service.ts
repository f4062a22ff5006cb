import { HttpClient } from '../../support/http';
import type { ServerProcess } from '../../support/server-process';
import { OwnCluster } from './cluster';
import { withAdminClient } from '../../support/database';
import type { DrillContext } from './context';
import { RunnerFleet, sleep } from './fleet';
import { serviceSettings, startService, type ServiceSettings } from './service';
import { TokenChecks } from './token-checks';
import { prepareWorkload, type Workload } from './workload';

export interface OwnClusterRun {
  readonly cluster: OwnCluster;
  readonly settings: ServiceSettings;
  server: ServerProcess;
  readonly workload: Workload;
  readonly client: HttpClient;
  readonly checks: TokenChecks;
  readonly fleet: RunnerFleet;
}

/**
 * Drills 2 and 4: a cluster of the drill's own (the only server it may stop or kill), one service on it, `runners`
 * runners with `jobs` queued, every received token checked by jose and PyJWT, each job reported done.
 */
export async function ownClusterRun(context: DrillContext, name: string, runners: number, jobs: number): Promise<OwnClusterRun> {
  context.progress("initdb + pg_ctl start: a PostgreSQL cluster of the drill's own");
  const cluster = await OwnCluster.create(context.workDir);
  context.defer("stop the drill's cluster", () => cluster.destroy());
  await withAdminClient(cluster.url('postgres'), (client) => client.query(`CREATE DATABASE lanyard_drill_${name}`));
  const settings = await serviceSettings(context.workDir, cluster.url(`lanyard_drill_${name}`));
  const run: OwnClusterRun = {
    cluster,
    settings,
    server: await startService(settings),
    workload: undefined as unknown as Workload,
    client: new HttpClient(settings.externalUrl, runners + 4),
    checks: undefined as unknown as TokenChecks,
    fleet: undefined as unknown as RunnerFleet,
  };
  context.defer('stop the service', () => run.server.stop());
  context.defer('close the runners', () => run.client.close());
  const workload = await prepareWorkload(settings.externalUrl, settings.rootToken, runners);
  await workload.queue(jobs);
  const jwks = `${settings.externalUrl}/oauth/discovery/keys`;
  const checks = new TokenChecks(settings.externalUrl, () => jwks);
  checks.addJoseVerifier(jwks);
  const fleet = new RunnerFleet([run.client], workload.runnerTokens, { finish: true, onDelivery: (delivery) => checks.check(delivery) });
  return Object.assign(run, { workload, checks, fleet });
}

/** Resolves once the runners have received `count` jobs in all. */
export async function deliveredAtLeast(fleet: RunnerFleet, count: number): Promise<void> {
  while (fleet.record.deliveries.length < count) await sleep(50);
}
