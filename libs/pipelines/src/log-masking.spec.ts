import { LOG_MASK, JobLogSecrets, maskAppend, maskLog, maskPhrases } from './log-masking';

const JTI = '6f1c2a7e-0000-4000-8000-000000000001';
const b64 = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
const jwt = (jti: string) =>
  `${b64({ alg: 'RS256', kid: 'k1' })}.${b64({ iss: 'http://lanyard.test', jti, sub: 'project_path:g/p' })}.c2lnbmF0dXJl`;

const secrets: JobLogSecrets = { phrases: ['s3cr3t-value', 'glcbt-jobtoken123', ' '], idTokenJtis: [JTI] };

/** Feeds `log` in the given pieces, as successive appends, and joins what each stores, then the final flush. */
function stored(pieces: readonly string[], given: JobLogSecrets = secrets): string {
  let held = '';
  let out = '';
  for (const piece of pieces) {
    const append = maskAppend(held, piece, given, false);
    out += append.emit;
    held = append.held;
  }
  return out + maskAppend(held, '', given, true).emit;
}

describe(maskLog.name, () => {
  it.each([
    ['a masked variable', 'token=s3cr3t-value;', `token=${LOG_MASK};`],
    ['the job token, twice', 'glcbt-jobtoken123 glcbt-jobtoken123', `${LOG_MASK} ${LOG_MASK}`],
    ['an ID token minted for the job, whole', `VAULT_ID_TOKEN=${jwt(JTI)}\n`, `VAULT_ID_TOKEN=${LOG_MASK}\n`],
    ['nothing in a JWT some other issuer minted', `other=${jwt('someone-else')}`, `other=${jwt('someone-else')}`],
    ['nothing in a malformed JWT', 'eyJnotjson.eyJx.sig', 'eyJnotjson.eyJx.sig'],
    ['nothing when no secret occurs', 'hello world\n', 'hello world\n'],
  ])('masks %s', (_, log, expected) => {
    expect(maskLog(log, secrets)).toBe(expected);
  });

  it('lets the longer of two overlapping secrets win, as the runner does', () => {
    expect(maskLog('abcdef', { phrases: ['abc', 'bcdef'], idTokenJtis: [] })).toBe(`a${LOG_MASK}`);
  });

  it('masks a secret written in UTF-8 as the bytes it is sent as', () => {
    const bytes = String.fromCharCode(...new TextEncoder().encode('pässwörd!'));
    expect(maskLog(`x${bytes}y`, { phrases: ['pässwörd!'], idTokenJtis: [] })).toBe(`x${LOG_MASK}y`);
  });
});

describe(maskPhrases.name, () => {
  it('trims, drops empties and repeats, and puts the longest first', () => {
    expect(maskPhrases({ phrases: [' ab ', 'abc', '', 'ab', '  '], idTokenJtis: [] })).toEqual(['abc', 'ab']);
  });
});

describe(maskAppend.name, () => {
  const log = `start s3cr3t-value mid glcbt-jobtoken123 id=${jwt(JTI)} end s3cr3t-value`;

  it('stores the same masked log wherever the runner cuts it into two appends', () => {
    const expected = maskLog(log, secrets);
    expect(expected).not.toContain('s3cr3t');
    for (let cut = 0; cut <= log.length; cut++) {
      expect(stored([log.slice(0, cut), log.slice(cut)])).toBe(expected);
    }
  });

  it('stores the same masked log when every byte is its own append', () => {
    expect(stored([...log])).toBe(maskLog(log, secrets));
  });

  it('never emits a part of a secret that was split between two appends', () => {
    const first = maskAppend('', 'the password is s3cr3t-', secrets, false);
    expect(first.emit).toBe('the password is '); // what may be the start of a secret waits for the next append
    expect(first.held).toBe('s3cr3t-');
    const second = maskAppend(first.held, 'value\n', secrets, false);
    expect(first.emit + second.emit + maskAppend(second.held, '', secrets, true).emit).toBe(`the password is ${LOG_MASK}\n`);
  });

  it('holds back a JWT until it can no longer grow, then masks it whole', () => {
    const token = jwt(JTI);
    const first = maskAppend('', `t=${token}`, secrets, false);
    expect(first.emit).toBe('t=');
    const next = maskAppend(first.held, `\n${'x'.repeat(20)}`, secrets, false);
    expect(next.emit).toBe(`${LOG_MASK}\n${'x'.repeat(20)}`);
  });

  it('holds back only an end that may begin a secret, so the live log does not lag', () => {
    expect(maskAppend('', 'step 1 done\n', secrets, false)).toEqual({ emit: 'step 1 done\n', held: '' });
    expect(maskAppend('', 'value: glcbt-job', secrets, false)).toEqual({ emit: 'value: ', held: 'glcbt-job' });
  });

  it('stores the same masked log for secrets that overlap or repeat their own start', () => {
    const tricky: JobLogSecrets = { phrases: ['abcd', 'cdef', 'aab', 'abab'], idTokenJtis: [] };
    const text = 'xaababcdefabcdaabababcdabcdefcdaab';
    for (let cut = 0; cut <= text.length; cut++) {
      for (let second = cut; second <= text.length; second++) {
        expect(stored([text.slice(0, cut), text.slice(cut, second), text.slice(second)], tricky)).toBe(maskLog(text, tricky));
      }
    }
  });

  it('holds nothing back when the job has no secret', () => {
    expect(maskAppend('', 'plain text e', { phrases: [], idTokenJtis: [] }, false)).toEqual({ emit: 'plain text e', held: '' });
  });
});
