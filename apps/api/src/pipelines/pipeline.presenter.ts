import { BLANK_SHA } from '@lanyard/pipelines';
import { presentUserBasic } from '../users/user.presenter';
import type { User } from '../entities/user.entity';
import { Pipeline } from './pipeline.entity';

export function seconds(from: Date | null, to: Date | null): number | null {
  return from && to ? Math.round((to.getTime() - from.getTime()) / 10) / 100 : null;
}

/** The short pipeline object embedded in jobs and lists. */
export function presentPipelineBasic(pipeline: Pipeline, projectWebUrl: string) {
  return {
    id: pipeline.id,
    iid: pipeline.iid,
    project_id: pipeline.projectId,
    sha: pipeline.sha,
    ref: pipeline.ref,
    status: pipeline.status,
    source: pipeline.source,
    name: pipeline.name,
    created_at: pipeline.createdAt.toISOString(),
    updated_at: (pipeline.finishedAt ?? pipeline.startedAt ?? pipeline.createdAt).toISOString(),
    web_url: `${projectWebUrl}/-/pipelines/${pipeline.id}`,
  };
}

export function presentPipeline(pipeline: Pipeline, projectWebUrl: string, user: User | null, externalUrl: string) {
  return {
    ...presentPipelineBasic(pipeline, projectWebUrl),
    before_sha: pipeline.beforeSha ?? BLANK_SHA,
    tag: pipeline.tag,
    yaml_errors: pipeline.yamlErrors,
    user: user ? presentUserBasic(user, externalUrl) : null,
    started_at: pipeline.startedAt?.toISOString() ?? null,
    finished_at: pipeline.finishedAt?.toISOString() ?? null,
    committed_at: null,
    duration: seconds(pipeline.startedAt, pipeline.finishedAt),
    queued_duration: null,
    coverage: null,
    detailed_status: { group: pipeline.status, text: pipeline.status, label: pipeline.status },
  };
}
