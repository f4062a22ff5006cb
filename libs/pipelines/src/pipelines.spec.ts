import { BUILD_STATUSES, BuildStatus, advancePipeline, guessDeploymentTier } from '.';

const build = (id: number, stageIdx: number, status: BuildStatus) => ({ id, stageIdx, status });

describe(advancePipeline.name, () => {
  it.each([
    [
      'a new pipeline starts its first stage',
      [build(1, 0, 'created'), build(2, 0, 'created'), build(3, 1, 'created')],
      'pending',
      [1, 2],
      [],
    ],
    [
      'a stage waits while the previous one runs',
      [build(1, 0, 'running'), build(2, 0, 'success'), build(3, 1, 'created')],
      'running',
      [],
      [],
    ],
    ['a stage waits while the previous one is pending', [build(1, 0, 'pending'), build(3, 1, 'created')], 'pending', [], []],
    [
      'the next stage starts when the previous one succeeded',
      [build(1, 0, 'success'), build(2, 0, 'success'), build(3, 1, 'created')],
      'running',
      [3],
      [],
    ],
    ['stages with no jobs in between are skipped over', [build(1, 0, 'success'), build(3, 4, 'created')], 'running', [3], []],
    ['a failure skips the waiting stages', [build(1, 0, 'failed'), build(2, 1, 'created'), build(3, 2, 'created')], 'failed', [], [2, 3]],
    [
      'a failure lets running siblings finish before the pipeline fails',
      [build(1, 0, 'failed'), build(2, 0, 'running'), build(3, 1, 'created')],
      'running',
      [],
      [3],
    ],
    ['all succeeded', [build(1, 0, 'success'), build(2, 1, 'success')], 'success', [], []],
    ['the last job failed', [build(1, 0, 'success'), build(2, 1, 'failed')], 'failed', [], []],
    [
      'a canceled job skips the later stages (GitLab: no `when` starts after canceled)',
      [build(1, 0, 'canceled'), build(2, 1, 'created')],
      'canceled',
      [],
      [2],
    ],
    ['no jobs', [], 'skipped', [], []],
    [
      'a job created failed in a later stage lets the first stage start',
      [build(1, 0, 'created'), build(2, 1, 'created'), build(3, 2, 'failed')],
      'pending',
      [1],
      [],
    ],
    ['… and the stages before it run', [build(1, 0, 'success'), build(2, 1, 'created'), build(3, 2, 'failed')], 'running', [2], []],
    [
      '… and when its stage comes, its siblings still start',
      [build(1, 0, 'success'), build(2, 1, 'success'), build(3, 2, 'failed'), build(4, 2, 'created')],
      'running',
      [4],
      [],
    ],
    ['… then the pipeline fails', [build(1, 0, 'success'), build(3, 1, 'failed'), build(4, 1, 'success')], 'failed', [], []],
    [
      'a job created failed in the first stage lets its siblings start and skips the rest',
      [build(1, 0, 'failed'), build(2, 0, 'created'), build(3, 1, 'created')],
      'running',
      [2],
      [3],
    ],
  ] as const)('%s', (_case, builds, pipelineStatus, toPending, toSkipped) => {
    expect(advancePipeline(builds)).toEqual({ pipelineStatus, toPending, toSkipped, toManual: [], toScheduled: [] });
  });

  it('lists exactly the statuses Lanyard uses', () => {
    expect(BUILD_STATUSES).toEqual([
      'created',
      'waiting_for_resource',
      'pending',
      'running',
      'success',
      'failed',
      'canceled',
      'skipped',
      'manual',
      'scheduled',
    ]);
  });
});

describe(guessDeploymentTier.name, () => {
  it.each([
    ['production', 'production'],
    ['prod-eu', 'production'],
    ['live', 'production'],
    ['staging', 'staging'],
    ['pre-prod', 'staging'],
    ['demo', 'staging'],
    ['test', 'testing'],
    ['qa', 'testing'],
    ['integration', 'testing'],
    ['development', 'development'],
    ['review/feature-x', 'development'],
    ['dev', 'development'],
    ['sandbox', 'other'],
    ['', 'other'],
  ] as const)('guesses %j as %s', (name, tier) => {
    expect(guessDeploymentTier(name)).toBe(tier);
  });
});
