import { illFormedParameter } from './well-formed-text';

describe('illFormedParameter', () => {
  it.each([
    ['a well-formed text', 'Ada 🚀 é', 'name', null],
    ['a lone high surrogate', 'a\ud800b', 'email', 'email'],
    ['a lone low surrogate', '\udc00', 'email', 'email'],
    ['half a pair at the end', 'x\ud83d', 'ref', 'ref'],
    ['a pair in the wrong order', '\ude80\ud83d', 'ref', 'ref'],
    ['a number', 7, 'id', null],
    ['null', null, 'id', null],
  ])('%s', (_case, value, name, expected) => {
    expect(illFormedParameter(value, name)).toBe(expected);
  });

  it('names a nested parameter in brackets, the first one found', () => {
    const body = {
      ref: 'main',
      variables: [
        { key: 'OK', value: 'x' },
        { key: 'K\ud800', value: 'v\udc00' },
      ],
    };
    expect(illFormedParameter(body, '')).toBe('variables[1][key]');
  });

  it('names the object whose key is ill-formed', () => {
    expect(illFormedParameter({ claims: { 'a\ud800': 1 } }, '')).toBe('claims');
    expect(illFormedParameter({ 'a\ud800': 1 }, '')).toBe('body');
  });
});
