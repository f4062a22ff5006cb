import type { Runner } from './runner.entity';

/** GitLab's `online`: the runner asked for jobs in the last two hours. */
const ONLINE_CONTACT_MS = 2 * 60 * 60 * 1000;

/** GitLab's `Entities::Ci::RunnerDetails`, for the attributes Lanyard keeps. */
export function presentRunnerDetails(runner: Runner, now: Date) {
  return {
    id: runner.id,
    description: runner.description,
    active: runner.active,
    paused: !runner.active,
    is_shared: runner.runnerType === 'instance_type',
    runner_type: runner.runnerType,
    online: runner.contactedAt !== null && now.getTime() - runner.contactedAt.getTime() < ONLINE_CONTACT_MS,
    created_at: runner.createdAt.toISOString(),
    contacted_at: runner.contactedAt?.toISOString() ?? null,
    tag_list: [...runner.tagList],
    run_untagged: runner.runUntagged,
    maximum_timeout: runner.maximumTimeout,
  };
}
