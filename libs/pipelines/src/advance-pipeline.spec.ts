import { advancePipeline } from './advance-pipeline';
import type { BuildWhen, StagedBuild } from './advance-pipeline';
import type { BuildStatus } from './build-status';
import { compositeStatus } from './status-composite';

const job = (
  id: number,
  stageIdx: number,
  status: BuildStatus,
  extra: { when?: BuildWhen; allowFailure?: boolean; needs?: string[] } = {},
): StagedBuild => ({
  id,
  stageIdx,
  status,
  name: `j${id}`,
  ...extra,
});
/** A manual job as the parser gives it: may fail unless `allow_failure: false`. */
const manual = (id: number, stageIdx: number, status: BuildStatus, allowFailure = true) =>
  job(id, stageIdx, status, { when: 'manual', allowFailure });

describe(`${advancePipeline.name} (GitLab's when, allow_failure and needs)`, () => {
  it.each<[string, StagedBuild[], Partial<ReturnType<typeof advancePipeline>>]>([
    [
      'a manual job in the first stage waits to be played; the next stage goes on (it may fail)',
      [manual(1, 0, 'created'), job(2, 0, 'created'), job(3, 1, 'created')],
      { toManual: [1], toPending: [2], pipelineStatus: 'pending' },
    ],
    [
      '… once its siblings succeed, the next stage starts',
      [manual(1, 0, 'manual'), job(2, 0, 'success'), job(3, 1, 'created')],
      { toPending: [3] },
    ],
    [
      'a blocking manual job (allow_failure: false) holds the later stages',
      [manual(1, 0, 'manual', false), job(2, 0, 'success'), job(3, 1, 'created')],
      { toPending: [], pipelineStatus: 'manual' },
    ],
    ['… until it is played and succeeds', [manual(1, 0, 'success', false), job(3, 1, 'created')], { toPending: [3] }],
    [
      'a job canceled by hand: what waits after it is skipped, `when: always` too; the pipeline is canceled',
      [job(1, 0, 'canceled'), job(2, 1, 'created'), job(3, 1, 'created', { when: 'always' })],
      { toPending: [], toSkipped: [2, 3], pipelineStatus: 'canceled' },
    ],
    [
      '… while its sibling still runs, the pipeline runs',
      [job(1, 0, 'canceled'), job(2, 0, 'running'), job(3, 1, 'created')],
      { toPending: [], toSkipped: [], pipelineStatus: 'running' },
    ],
    [
      'a job waiting for its resource group counts as pending: the next stage waits, the pipeline is pending',
      [job(1, 0, 'waiting_for_resource'), job(2, 1, 'created')],
      { toPending: [], pipelineStatus: 'pending' },
    ],
    [
      '… and a job needing it waits too',
      [job(1, 0, 'waiting_for_resource'), job(2, 1, 'created', { needs: ['j1'] })],
      { toPending: [], toSkipped: [] },
    ],
    [
      'a pipeline whose only open job is a manual one that may fail is successful',
      [manual(1, 1, 'manual'), job(2, 0, 'success')],
      { pipelineStatus: 'success' },
    ],
    [
      'a delayed job is scheduled when its turn comes',
      [job(1, 0, 'success'), job(2, 1, 'created', { when: 'delayed' })],
      { toScheduled: [2], pipelineStatus: 'scheduled' },
    ],
    [
      'on_failure runs after a failure, on_success is skipped, always runs',
      [job(1, 0, 'failed'), job(2, 1, 'created', { when: 'on_failure' }), job(3, 1, 'created'), job(4, 1, 'created', { when: 'always' })],
      { toPending: [2, 4], toSkipped: [3], pipelineStatus: 'running' },
    ],
    [
      'on_failure is skipped after success, always runs',
      [job(1, 0, 'success'), job(2, 1, 'created', { when: 'on_failure' }), job(3, 1, 'created', { when: 'always' })],
      { toPending: [3], toSkipped: [2] },
    ],
    [
      'on_failure waits while an earlier job still runs',
      [job(1, 0, 'failed'), job(2, 0, 'running'), job(3, 1, 'created', { when: 'on_failure' })],
      { toPending: [], toSkipped: [] },
    ],
    [
      'a failure that is allowed does not fail the stage or the pipeline',
      [job(1, 0, 'failed', { allowFailure: true }), job(2, 1, 'created', { when: 'on_failure' }), job(3, 1, 'created')],
      { toPending: [3], toSkipped: [2], pipelineStatus: 'running' },
    ],
    [
      '… and the pipeline succeeds with it',
      [job(1, 0, 'failed', { allowFailure: true }), job(2, 1, 'success')],
      { pipelineStatus: 'success' },
    ],
    [
      'a job with needs starts when its needs succeed, before its stage’s turn',
      [job(1, 0, 'success'), job(2, 0, 'running'), job(3, 1, 'created', { needs: ['j1'] }), job(4, 1, 'created')],
      { toPending: [3], pipelineStatus: 'running' },
    ],
    ['needs: [] starts at once, whatever its stage', [job(1, 0, 'created'), job(2, 2, 'created', { needs: [] })], { toPending: [1, 2] }],
    [
      'a job needing a job of its own stage follows it',
      [job(1, 0, 'created', { needs: ['j2'] }), job(2, 0, 'created')],
      { toPending: [2] },
    ],
    ['… and starts once it succeeds', [job(1, 0, 'created', { needs: ['j2'] }), job(2, 0, 'success')], { toPending: [1] }],
    [
      'a job whose need was skipped is skipped (a stage job would run)',
      [job(1, 0, 'skipped'), job(2, 1, 'created', { needs: ['j1'] }), job(3, 1, 'created')],
      { toSkipped: [2], toPending: [3] },
    ],
    [
      'a job whose need failed is skipped at once',
      [job(1, 0, 'failed'), job(2, 0, 'running'), job(3, 1, 'created', { needs: ['j1'] })],
      { toSkipped: [3] },
    ],
    ['an optional need that is not in the pipeline is ignored', [job(1, 0, 'created', { needs: ['absent'] })], { toPending: [1] }],
    [
      'skipped jobs count as passed for the stages after them',
      [job(1, 0, 'failed'), job(2, 1, 'created', { when: 'on_failure' }), job(3, 2, 'created')],
      { toPending: [2], toSkipped: [3] },
    ],
  ])('%s', (_case, builds, expected) => {
    expect(advancePipeline(builds)).toMatchObject(expected);
  });
});

describe(compositeStatus.name, () => {
  const of = (...statuses: (BuildStatus | [BuildStatus, true])[]) =>
    compositeStatus(
      statuses.map((entry) => (Array.isArray(entry) ? { status: entry[0], allowFailure: true } : { status: entry, allowFailure: false })),
    );
  it.each([
    [[], null],
    [['success', 'skipped'], 'success'],
    [['skipped', ['manual', true]], 'skipped'],
    [['success', ['failed', true]], 'success'],
    [['success', 'failed'], 'failed'],
    [['failed', 'running'], 'running'],
    [['success', 'manual'], 'manual'],
    [['success', 'scheduled'], 'scheduled'],
    [['success', 'created'], 'created'],
    [['pending', 'created'], 'pending'],
    [['failed', 'created'], 'running'],
    [['canceled', 'success'], 'canceled'],
    [['canceled', 'failed'], 'failed'],
  ] as const)('%j is %s', (statuses, expected) => {
    expect(of(...(statuses as unknown as (BuildStatus | [BuildStatus, true])[]))).toBe(expected);
  });
});
