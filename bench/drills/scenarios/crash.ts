import type { DrillContext, DrillResult } from '../support/context';
import { query } from '../support/context';
import { abandonedRequest, sleep } from '../support/fleet';
import { ledgerFigures, round } from '../support/figures';
import { readLedger, type LostAnswer } from '../support/ledger';
import { deliveredAtLeast, ownClusterRun } from '../support/own-cluster-service';
import { killService, startService } from '../support/service';

const RUNNERS = 16;
const JOBS = 2000;
/**
 * How far a lost job's clock-relevant times are moved back: past its timeout (1 h) and the runner's grace (1 h), so
 * the stuck-job scheduler's next turn (every minute) finds it, as it would two hours later; nothing else is changed.
 */
const TIME_SHIFT = '3 hours';
const STUCK_TURN_WAIT_MS = 150_000;
/** Runners that vanish right after asking, just before the kill: answers surely lost, whatever the kill's timing. */
const ABANDONED_REQUESTS = 3;

/**
 * Drill 4: `kill -9` of the service a third into a drain, then of the PostgreSQL postmaster (the drill's own cluster)
 * at two thirds, each restarted at once. Promise: nothing lost or assigned twice; a job whose answer died with a
 * process stays running, is failed by the stuck-job scheduler after its timeout (`stuck_or_timeout_failure`), and the
 * audit keeps its tokens next to that failure, since the server cannot know whether they reached a runner.
 */
export async function crashDrill(context: DrillContext): Promise<DrillResult> {
  const run = await ownClusterRun(context, 'crash', RUNNERS, JOBS);
  const drain = run.fleet.run();

  await deliveredAtLeast(run.fleet, JOBS / 3);
  context.progress(
    `${run.fleet.record.deliveries.length} jobs received: ${ABANDONED_REQUESTS} runners vanish mid-request, kill -9 of the service (pid ${run.server.pid})`,
  );
  await Promise.all(
    run.workload.runnerTokens.slice(0, ABANDONED_REQUESTS).map((token) => abandonedRequest(run.settings.externalUrl, token)),
  );
  await sleep(500);
  await killService(run.server);
  const killedAt = performance.now();
  run.server = await startService(run.settings);
  const serviceRestartS = (performance.now() - killedAt) / 1000;
  context.progress(`service restarted (pid ${run.server.pid}) in ${round(serviceRestartS, 1)} s`);

  await deliveredAtLeast(run.fleet, (2 * JOBS) / 3);
  const postmaster = run.cluster.kill9();
  context.progress(`${run.fleet.record.deliveries.length} jobs received: kill -9 of PostgreSQL's postmaster (pid ${postmaster})`);
  const pgKilledAt = performance.now();
  await sleep(1000);
  await run.cluster.start();
  const pgRestartS = (performance.now() - pgKilledAt) / 1000;
  context.progress(`PostgreSQL restarted after crash recovery in ${round(pgRestartS, 1)} s`);
  await drain;

  const options = { finished: true, lostAnswersAllowed: true };
  const before = await readLedger(run.settings.databaseUrl, run.workload.pipelineIds, run.fleet.record.deliveries, options);
  const lostIds = before.lostAnswers.map((lost) => lost.jobId);
  const problems = [...before.problems];
  const notRunning = before.lostAnswers.filter((lost) => lost.status !== 'running');
  if (notRunning.length) problems.push(`${notRunning.length} jobs whose answer was lost are ${notRunning[0].status}, not running`);

  if (lostIds.length === 0) problems.push('no answer was lost: the stuck-job path was not exercised');
  let stuckS: number | null = null;
  let after: readonly LostAnswer[] = [];
  if (lostIds.length) {
    context.progress(`${lostIds.length} answers were lost; moving their clock back ${TIME_SHIFT} and waiting for the stuck-job turn`);
    await query(
      run.settings.databaseUrl,
      `UPDATE ci_builds SET started_at = started_at - $2::interval, reported_at = reported_at - $2::interval WHERE id = ANY($1::bigint[])`,
      [lostIds, TIME_SHIFT],
    );
    const waitStart = performance.now();
    while (performance.now() - waitStart < STUCK_TURN_WAIT_MS) {
      after = (await readLedger(run.settings.databaseUrl, run.workload.pipelineIds, run.fleet.record.deliveries, options)).lostAnswers;
      if (after.every((lost) => lost.status !== 'running')) break;
      await sleep(2000);
    }
    stuckS = (performance.now() - waitStart) / 1000;
    const unfailed = after.filter((lost) => lost.status !== 'failed' || lost.failureReason !== 'stuck_or_timeout_failure');
    if (unfailed.length)
      problems.push(
        `${unfailed.length} jobs whose answer was lost were not failed as stuck (e.g. job ${unfailed[0].jobId}: ${unfailed[0].status})`,
      );
    const unaudited = after.filter((lost) => lost.auditedTokens !== 2);
    if (unaudited.length) problems.push(`${unaudited.length} stuck jobs do not keep their 2 audited tokens`);
  }
  const tokens = await run.checks.settle();
  problems.push(...tokens.problems, ...run.fleet.record.unexpected.slice(0, 5));
  return {
    figures: {
      runners: RUNNERS,
      service_kill9_restart_s: round(serviceRestartS, 1),
      postgres_kill9_restart_s: round(pgRestartS, 1),
      connection_errors: run.fleet.record.connectionErrors,
      answers_503: run.fleet.record.unavailable,
      ...ledgerFigures(before),
      lost_answers_failed_as_stuck: after.filter((lost) => lost.failureReason === 'stuck_or_timeout_failure').length,
      lost_answer_audited_tokens: after.reduce((sum, lost) => sum + lost.auditedTokens, 0),
      left_running_after_stuck_turn: after.filter((lost) => lost.status === 'running').length,
      stuck_turn_s: stuckS === null ? null : round(stuckS, 1),
      ...tokens.figures,
    },
    problems,
  };
}
