import { projectFullPath } from './full-path';

describe(projectFullPath.name, () => {
  it.each([
    ['alice', 'app', 'alice/app'],
    ['acme/platform', 'app', 'acme/platform/app'],
    ['Acme/Team.One', 'my-app', 'Acme/Team.One/my-app'],
  ])('joins %s and %s', (namespaceFullPath, projectPath, expected) => {
    expect(projectFullPath(namespaceFullPath, projectPath)).toBe(expected);
  });
});
