import { jobsPerSecond, pickupRoundNotes, type PickupRoundSettings, runPickupRounds } from './scenarios/pickup-rounds';
import { ApiClient, Fixtures } from './support/api-client';
import { HttpClient } from './support/http';
import type { ServerProcess } from './support/server-process';
import { round, summarize } from './support/stats';

/**
 * `BENCH_ONLY=pickup`: the pickup's rounds against the reference server and nothing else (about a minute with the
 * defaults), for working on the pickup. The same drains, checks and CPU meter as the full run; printed, not written
 * to a results file.
 */
export async function pickupOnly(
  context: { readonly server: ServerProcess; readonly databaseUrl: string; readonly baseUrl: string; readonly rootToken: string },
  settings: PickupRoundSettings,
  onCleanup: (step: { name: string; run: () => Promise<unknown> }) => void,
  progress: (message: string) => void,
): Promise<void> {
  const { server, databaseUrl, baseUrl } = context;
  const fixtures = new Fixtures(new ApiClient(baseUrl), context.rootToken);
  const client = new HttpClient(baseUrl, 64);
  const owner = await fixtures.user('bench');
  const pickup = await runPickupRounds({ server, client, fixtures, owner, baseUrl, databaseUrl }, settings, onCleanup, progress);
  client.close();
  const { drain, sql, reference } = pickup.median;
  const lines = [
    `pickup (median round): ${round(jobsPerSecond(drain), 1)} jobs/s, p99 ${summarize(drain.latenciesMs).p99} ms, ${sql.queriesPerOp} SQL round trips per job`,
    ...pickupRoundNotes(pickup, !databaseUrl),
  ];
  if (reference) {
    const ratio = jobsPerSecond(drain) / jobsPerSecond(reference.drain);
    const p99Ratio = summarize(drain.latenciesMs).p99 / summarize(reference.drain.latenciesMs).p99;
    lines.push(`ratio ${round(ratio, 2)} (goal ≥ 0.7), p99 ratio ${round(p99Ratio, 2)} (goal ≤ 2)`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}
