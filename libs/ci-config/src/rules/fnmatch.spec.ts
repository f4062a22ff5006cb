import { PatternBudgetError } from '../expressions/expression-error';
import { PatternEngine } from '../expressions/pattern-engine';
import { fnmatch } from './fnmatch';

const matches = (glob: string, path: string) => fnmatch(glob, path, new PatternEngine());

describe(fnmatch.name, () => {
  // Ruby's File.fnmatch documentation, with the flags GitLab passes (FNM_PATHNAME | FNM_DOTMATCH | FNM_EXTGLOB).
  it.each<[string, string, boolean]>([
    ['cat', 'cat', true],
    ['cat', 'category', false],
    ['c{at,ub}s', 'cats', true],
    ['c{at,ub}s', 'cubs', true],
    ['c{at,ub}s', 'cots', false],
    ['c?t', 'cat', true],
    ['c??t', 'cat', false],
    ['c*', 'cats', true],
    ['c*t', 'c/a/b/t', false], // FNM_PATHNAME: wildcards stay in one directory
    ['ca[a-z]', 'cat', true],
    ['ca[^t]', 'cat', false],
    ['ca[!t]', 'cab', true],
    ['cat', 'CAT', false],
    ['?', '/', false],
    ['*', '/', false],
    ['[/]', '/', false],
    ['\\?', '?', true],
    ['\\?', 'a', false],
    ['\\a', 'a', true],
    ['[\\?]', '?', true],
    ['*', '.profile', true], // FNM_DOTMATCH
    ['.*', '.profile', true],
    ['**/*.rb', 'main.rb', true], // **/ matches no directory too
    ['**/*.rb', './main.rb', true],
    ['**/*.rb', 'lib/song.rb', true],
    ['**.rb', 'main.rb', true],
    ['**.rb', 'lib/song.rb', false], // without a slash, ** is a plain *
    ['*', 'dave/.profile', false],
    ['**/foo', 'a/b/c/foo', true],
    ['**/foo', '/a/b/c/foo', true],
    ['**/foo', 'c:/a/b/c/foo', true],
    ['**/foo', 'a/.b/c/foo', true], // FNM_DOTMATCH
  ])('%p %s %p', (glob, path, expected) => {
    expect(matches(glob, path)).toBe(expected);
  });

  // GitLab's documented rules:changes patterns.
  it.each<[string, string, boolean]>([
    ['Dockerfile', 'Dockerfile', true],
    ['Dockerfile', 'docker/Dockerfile', false],
    ['docker/scripts/*', 'docker/scripts/build.sh', true],
    ['docker/scripts/*', 'docker/scripts/lib/util.sh', false],
    ['dockerfiles/**/*', 'dockerfiles/a/b/Dockerfile', true],
    ['dockerfiles/**/*', 'dockerfiles/Dockerfile', true],
    ['dockerfiles/**/*', 'other/Dockerfile', false],
    ['more_scripts/*.{rb,py,sh}', 'more_scripts/run.py', true],
    ['more_scripts/*.{rb,py,sh}', 'more_scripts/run.js', false],
    ['**/*.json', 'a/b/package.json', true],
    ['**/*.json', 'package.json', true],
    ['app/', 'app/models/user.rb', false], // a directory name matches no file under it
    ['app/**', 'app/models', true],
    ['app/**', 'app/models/user.rb', false], // ** alone does not recurse
    ['app/**/*', 'app/models/user.rb', true],
    ['{app,lib}/**/*.rb', 'lib/a/b.rb', true],
    ['{app,{lib,spec}}/*.rb', 'spec/a.rb', true],
    ['src/{a,b', 'src/{a,b', false], // an unclosed brace matches nothing
    ['src/a}', 'src/a}', true],
    ['\\{a,b}', '{a,b}', true],
    ['file{,.bak}', 'file', true],
    ['file{}.txt', 'file.txt', true],
    ['[', '[', false], // an unclosed bracket matches nothing
    ['[a-', 'a', false],
    ['[z-a]', 'a', true], // an upside-down range still matches its ends
    ['[]a]', ']', false],
    ['a\\', 'a', true], // a trailing backslash is ignored
    ['*.md', '.md', true],
    ['**/**/x', 'a/x', true],
    ['a/**/b/**/c', 'a/1/b/2/3/c', true],
    ['a/**/b', 'a/b/c', false],
    ['ü*', 'über.txt', true],
    ['?', '😀', true], // one character, not one UTF-16 unit
  ])('%p %s %p', (glob, path, expected) => {
    expect(matches(glob, path)).toBe(expected);
  });

  it('takes polynomial time on a hostile glob (one * remembered at a time)', () => {
    const glob = `${'*a'.repeat(40)}*b`;
    expect(matches(glob, 'a'.repeat(3000))).toBe(false);
  });

  it('ends in a budget error, not a hang, on a brace bomb', () => {
    const bomb = '{a,b}'.repeat(40);
    expect(() => fnmatch(bomb, 'c'.repeat(40), new PatternEngine())).toThrow(PatternBudgetError);
  });

  it('charges every step to the engine', () => {
    const engine = new PatternEngine();
    fnmatch('**/*.rb', 'lib/a/b/c.rb', engine);
    expect(engine.remaining).toBeLessThan(engine.budget);
  });
});
