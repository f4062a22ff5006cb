import { pipelinePermissionError } from './pipeline-permissions';

describe(pipelinePermissionError.name, () => {
  const refused = (ref: string) =>
    `You do not have sufficient permission to run a pipeline on '${ref}'. Please select a different branch or contact your administrator for assistance.`;

  it.each([
    ['may create and write the ref', true, true, 'main', null],
    ['may create, not write the ref', true, false, 'main', refused('main')],
    ['may create, not write a wildcard-protected ref', true, false, 'release/1.0', refused('release/1.0')],
    ['may not create at all (checked first, as GitLab)', false, false, 'main', 'Insufficient permissions to create a new pipeline'],
    ['may not create, though the ref is open', false, true, 'feature', 'Insufficient permissions to create a new pipeline'],
  ] as const)('%s', (_case, mayCreatePipeline, mayWriteRef, ref, expected) => {
    expect(pipelinePermissionError({ mayCreatePipeline, mayWriteRef, ref })).toBe(expected);
  });
});
