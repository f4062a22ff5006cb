import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, chownSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../support/run-support';

const BIN = process.env.DRILL_PG_BIN?.trim() || '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL cluster of the drill's own (initdb in a temp folder, its own port): the only server a drill may stop
 * or kill. The machine's shared server is never touched. As root, the cluster runs as the `postgres` user, since
 * PostgreSQL refuses to run as root.
 */
export class OwnCluster {
  private constructor(
    private readonly dataDir: string,
    private readonly logFile: string,
    readonly port: number,
  ) {}

  static async create(workDir: string): Promise<OwnCluster> {
    const home = join(workDir, 'pg');
    mkdirSync(home, { recursive: true });
    if (process.getuid?.() === 0) {
      // mkdtemp makes the work folder 0700: the postgres user must be able to pass through it.
      chmodSync(workDir, 0o711);
      chownSync(home, postgresUid(), postgresGid());
    }
    const dataDir = join(home, 'data');
    await asPostgres(join(BIN, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
    const cluster = new OwnCluster(dataDir, join(home, 'server.log'), await freePort());
    await cluster.start();
    return cluster;
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts the server; after a `kill -9` the old backends may still hold shared memory for a moment, so it tries again. */
  async start(): Promise<void> {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${join(this.dataDir, '..')} -c fsync=off -c max_connections=100`;
    for (let attempt = 1; ; attempt++) {
      try {
        await asPostgres(join(BIN, 'pg_ctl'), ['-D', this.dataDir, '-l', this.logFile, '-o', options, '-w', '-t', '60', 'start']);
        return;
      } catch (error) {
        if (attempt >= 10) throw error;
        await new Promise((done) => setTimeout(done, 500));
      }
    }
  }

  /** A clean, fast shutdown (`pg_ctl stop -m fast`): open sessions are ended, as in a failover or a restart. */
  stop(): Promise<void> {
    return asPostgres(join(BIN, 'pg_ctl'), ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
  }

  /** `kill -9` of the postmaster: no shutdown at all; the next start runs crash recovery. */
  kill9(): number {
    const pid = Number(readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    return pid;
  }

  /** Stops the server if it runs, whatever its state; the temp folder is removed by the caller. */
  async destroy(): Promise<void> {
    // Rejected when not running: a drill may end while its cluster is stopped or killed.
    await asPostgres(join(BIN, 'pg_ctl'), ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  }
}

/** Asynchronous, so that runners and probes keep going while PostgreSQL starts or stops. */
async function asPostgres(command: string, args: string[]): Promise<void> {
  const [file, argv] = process.getuid?.() === 0 ? ['/usr/sbin/runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  await promisify(execFile)(file, argv);
}

function postgresUid(): number {
  return Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
}

function postgresGid(): number {
  return Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
}
