import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, lockDataDir } from './data-dir-lock';

describe(lockDataDir.name, () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lanyard-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a second holder until the first releases', () => {
    const first = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    first.release();
    expect(existsSync(join(dir, 'lanyard.lock'))).toBe(false);
    lockDataDir(dir).release();
  });

  it('refuses a directory another running process holds, naming it', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(join(dir, 'lanyard.lock'), JSON.stringify({ pid: other.pid, host: hostname() }));
      expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by another Lanyard process \\(pid ${other.pid} on `));
    } finally {
      other.kill();
    }
  });

  it('takes over a lock left by a process that is gone, or a half-written one', async () => {
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.once('exit', resolve));
    writeFileSync(join(dir, 'lanyard.lock'), JSON.stringify({ pid: gone.pid, host: 'a-recreated-container' }));
    const lock = lockDataDir(dir);
    expect(JSON.parse(readFileSync(join(dir, 'lanyard.lock'), 'utf8'))).toEqual({ pid: process.pid, host: hostname() });
    lock.release();
    writeFileSync(join(dir, 'lanyard.lock'), '{"pid":');
    lockDataDir(dir).release();
  });

  it("takes over a lock holding its own pid (a restarted container's pid 1)", () => {
    writeFileSync(join(dir, 'lanyard.lock'), JSON.stringify({ pid: process.pid, host: 'old' }));
    lockDataDir(dir).release();
  });
});
