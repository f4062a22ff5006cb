import type { Runner } from './runner.entity';

/** GitLab's `online`: the runner asked for jobs in the last two hours (`ONLINE_CONTACT_TIMEOUT`). */
export const ONLINE_CONTACT_MS = 2 * 60 * 60 * 1000;
/** GitLab's `STALE_TIMEOUT`: created, and not heard from, for a week. */
export const STALE_MS = 7 * 24 * 60 * 60 * 1000;

function isOnline(runner: Runner, now: Date): boolean {
  return runner.contactedAt !== null && now.getTime() - runner.contactedAt.getTime() < ONLINE_CONTACT_MS;
}

/** GitLab's `Ci::Runner#status`. */
function statusOf(runner: Runner, now: Date): 'stale' | 'never_contacted' | 'online' | 'offline' {
  const staleBefore = now.getTime() - STALE_MS;
  const stale = runner.createdAt.getTime() <= staleBefore && (runner.contactedAt === null || runner.contactedAt.getTime() <= staleBefore);
  if (stale) return 'stale';
  if (runner.contactedAt === null) return 'never_contacted';
  return isOnline(runner, now) ? 'online' : 'offline';
}

/** GitLab's `Entities::Ci::Runner`, what runner lists show; Lanyard keeps no IP address or name. */
export function presentRunner(runner: Runner, now: Date) {
  return {
    id: runner.id,
    description: runner.description,
    ip_address: null,
    active: runner.active,
    paused: !runner.active,
    is_shared: runner.runnerType === 'instance_type',
    runner_type: runner.runnerType,
    name: null,
    online: isOnline(runner, now),
    status: statusOf(runner, now),
  };
}

/** GitLab's `Entities::Ci::RunnerDetails`, for the attributes Lanyard keeps. */
export function presentRunnerDetails(runner: Runner, now: Date) {
  return {
    ...presentRunner(runner, now),
    created_at: runner.createdAt.toISOString(),
    contacted_at: runner.contactedAt?.toISOString() ?? null,
    tag_list: [...runner.tagList],
    run_untagged: runner.runUntagged,
    locked: runner.locked,
    maximum_timeout: runner.maximumTimeout,
  };
}
