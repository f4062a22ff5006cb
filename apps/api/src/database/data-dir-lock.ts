import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';

export class DataDirLockedError extends Error {
  constructor(dataDir: string, holder: string) {
    super(`${dataDir} is in use by another Lanyard process (${holder}); stop it first: two processes on one embedded database corrupt it`);
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  release(): void;
}

/** Locks this process holds: a lock file naming our own pid is otherwise taken for a stale one. */
const held = new Set<string>();

interface LockRecord {
  readonly pid: number;
  readonly host: string;
}

/**
 * PGlite has no postmaster to refuse a second process, and two on one directory corrupt it: a lock file, created
 * exclusively, holds the owner's pid. One left by a process that no longer runs (a crash, SIGKILL) is taken over.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = resolve(dataDir, 'lanyard.lock');
  const record: LockRecord = { pid: process.pid, host: hostname() };
  if (held.has(path)) throw new DataDirLockedError(resolve(dataDir), 'this process');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(record));
      closeSync(fd);
      held.add(path);
      return {
        release: () => {
          held.delete(path);
          releaseIfOurs(path);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readRecord(path);
      if (holder && isRunning(holder)) throw new DataDirLockedError(resolve(dataDir), `pid ${holder.pid} on ${holder.host}`);
      unlinkQuietly(path); // stale: its owner is gone
    }
  }
  throw new DataDirLockedError(resolve(dataDir), 'another process took the lock while this one started');
}

function readRecord(path: string): LockRecord | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockRecord>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string' ? { pid: parsed.pid, host: parsed.host } : null;
  } catch {
    return null; // half-written by a process killed mid-write, or removed meanwhile
  }
}

/**
 * Our own pid is stale: a container restarted on the same volume runs as the same pid (often 1) as the one that left
 * the lock. The host is only reported: a recreated container has a new host name, and its old lock must not block it.
 */
function isRunning(holder: LockRecord): boolean {
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseIfOurs(path: string): void {
  const holder = readRecord(path);
  if (holder?.pid === process.pid && holder.host === hostname()) unlinkQuietly(path);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
