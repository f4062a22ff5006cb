import { AccessLevel } from './access-level';
import { forkVisibility, mayForkProject, mergeRequestPipelineProject } from './forks';

describe(mayForkProject.name, () => {
  const { NoAccess, Guest, Reporter, Owner } = AccessLevel;
  it.each([
    [NoAccess, false, 'private', false],
    [Guest, false, 'private', false],
    [Reporter, false, 'private', true],
    [Owner, false, 'private', true],
    [NoAccess, true, 'private', true],
    [NoAccess, false, 'internal', true],
    [NoAccess, false, 'public', true],
  ] as const)('level %s, admin %s, %s project: %s', (level, admin, visibility, expected) => {
    expect(mayForkProject({ level, admin }, visibility)).toBe(expected);
  });
});

describe(forkVisibility.name, () => {
  it.each([
    ['public', null, undefined, 'public'],
    ['internal', null, 'public', 'internal'],
    ['public', 'private', undefined, 'private'],
    ['public', 'internal', 'public', 'internal'],
    ['public', 'public', 'private', 'private'],
    ['private', 'public', 'public', 'private'],
  ] as const)('source %s, group %s, asked %s: %s', (source, group, requested, expected) => {
    expect(forkVisibility(source, group, requested)).toBe(expected);
  });
});

describe(mergeRequestPipelineProject.name, () => {
  it.each([
    // forFork, target developer, may push the source branch in the target, may run in the source → where
    [true, true, false, true, 'target'],
    [true, true, false, false, 'target'],
    [true, false, false, true, 'source'],
    [true, false, false, false, null],
    [false, true, true, true, 'target'],
    // A developer who may not push a protected source branch runs it where that branch lives, as GitLab.
    [false, true, false, true, 'source'],
    [false, false, false, false, null],
  ] as const)('fork %s, target %s, branch %s, source %s: %s', (forFork, target, branch, source, expected) => {
    expect(
      mergeRequestPipelineProject({
        forFork,
        mayCreatePipelineInTarget: target,
        mayUpdateSourceBranchInTarget: branch,
        mayCreatePipelineInSource: source,
      }),
    ).toBe(expected);
  });
});
