import { presentPipelineBasic, seconds } from './pipeline.presenter';
import type { Pipeline } from './pipeline.entity';
import type { Runner } from '../runners/runner.entity';
import type { User } from '../entities/user.entity';
import { presentUserBasic } from '../users/user.presenter';
import { Build } from './build.entity';

export interface BuildRelations {
  readonly pipeline: Pipeline;
  readonly user: User | null;
  readonly runner: Runner | null;
  readonly projectWebUrl: string;
  readonly externalUrl: string;
  /** The tags a runner must have to take it, as expanded when the pipeline was created. */
  readonly tagList: readonly string[];
}

/** GitLab's job object (`GET /projects/:id/jobs/:job_id`). */
export function presentBuild(build: Build, { pipeline, user, runner, projectWebUrl, externalUrl, tagList }: BuildRelations) {
  return {
    id: build.id,
    name: build.name,
    stage: build.stage,
    status: build.status,
    ref: pipeline.ref,
    tag: pipeline.tag,
    coverage: build.coverage,
    allow_failure: build.allowFailure,
    created_at: build.createdAt.toISOString(),
    started_at: build.startedAt?.toISOString() ?? null,
    finished_at: build.finishedAt?.toISOString() ?? null,
    erased_at: build.erasedAt?.toISOString() ?? null,
    duration: seconds(build.startedAt, build.finishedAt),
    queued_duration: seconds(build.queuedAt, build.startedAt),
    timeout: build.timeout,
    user: user ? presentUserBasic(user, externalUrl) : null,
    commit: { id: pipeline.sha, short_id: pipeline.sha.slice(0, 8) },
    pipeline: presentPipelineBasic(pipeline, projectWebUrl),
    runner: runner
      ? {
          id: runner.id,
          description: runner.description,
          active: runner.active,
          is_shared: runner.runnerType === 'instance_type',
          runner_type: runner.runnerType,
        }
      : null,
    web_url: `${projectWebUrl}/-/jobs/${build.id}`,
    tag_list: [...tagList],
    ...(build.status === 'failed' ? { failure_reason: build.failureReason } : {}),
  };
}
