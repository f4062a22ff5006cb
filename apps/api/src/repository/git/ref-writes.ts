import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { indexDrift, type GitHeldRef, type IndexedRef } from '@lanyard/git-refs';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, type Clock } from '../../clock/clock';
import { startPeriodicTurns } from '../../clock/periodic-turns';
import { protectDefaultBranch } from '../default-branch-protection';
import { GitStorage } from '../git-storage';
import { RepositoryError } from '../repository-errors';
import { RepositoryService } from '../repository.service';
import { indexPush } from './git-push-index';
import type { GitRepository } from './git-repository';

/** How often a replica looks for intents whose writer failed without repairing (the database was away then). */
const SWEEP_INTERVAL_MS = 60_000;
/** An intent younger than this may belong to a writer that has not begun its transaction yet: the sweep leaves it. */
const SWEEP_MIN_AGE_MS = 60_000;
/** Projects repaired per sweep; the rest wait for the next one. */
const SWEEP_BATCH = 20;

/**
 * Git and the database cannot commit as one: every writer of branches and tags (the files, branches and tags APIs,
 * `git push`) moves git's ref first, under the database transaction that then indexes the move. If that transaction
 * fails after git moved (the database went away, the process died), git is ahead of the index. So each writer first
 * commits an intent row, and the transaction deletes it: an intent that outlives its writer names a project to
 * repair, and the repair makes the index follow git (git is the source of truth; a push's client was already told its
 * refs moved). The writer repairs at once when its transaction fails; what it could not (the database away) is
 * repaired at the next start or by a replica's periodic sweep.
 *
 * Locks: a writer's transaction deletes its intent (holding that row) and then takes the project row FOR KEY SHARE;
 * the repair takes the project row FOR UPDATE, so it reads git only while no writer is between moving a ref and
 * committing, and it deletes only intents no writer holds. A writer whose intent a repair deleted before the writer's
 * transaction began answers REF_MOVED (try again) rather than write without one.
 */
@Injectable()
export class RefWrites implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RefWrites');
  private stopSweeps?: () => void;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly storage: GitStorage,
    private readonly repository: RepositoryService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.repairPending(null);
    this.stopSweeps = startPeriodicTurns(SWEEP_INTERVAL_MS, () => this.repairPending(SWEEP_MIN_AGE_MS));
  }

  onApplicationShutdown(): void {
    this.stopSweeps?.();
  }

  /** Runs `work`, which may move the project's git refs and indexes what it moved, in a transaction guarded by an intent. */
  async transaction<T>(projectId: number, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    const [intent]: { id: string }[] = await this.db.query(
      'INSERT INTO repository_ref_intents (project_id, created_at) VALUES ($1, $2) RETURNING id',
      [projectId, this.clock.now()],
    );
    try {
      return await this.db.transaction(async (tx) => {
        const held: unknown[] = await tx.query('DELETE FROM repository_ref_intents WHERE id = $1 RETURNING id', [intent.id]);
        if (!held.length) throw new RepositoryError('REF_MOVED');
        await tx.query('SELECT 1 FROM projects WHERE id = $1 FOR KEY SHARE', [projectId]);
        return await work(tx);
      });
    } catch (error) {
      // A refusal is decided before git moves anything (a lost compare-and-swap moved nothing either).
      if (error instanceof RepositoryError) await this.db.query('DELETE FROM repository_ref_intents WHERE id = $1', [intent.id]);
      else
        await this.repair(projectId).catch((failure: Error) =>
          this.logger.warn({ msg: 'refs left to repair', projectId, error: failure.message }),
        );
      throw error;
    }
  }

  /**
   * Makes the project's index follow git's branches and tags, and clears its intents. Answers the number of refs
   * that had drifted; 0 for a project deleted meanwhile (its intents went with it).
   */
  async repair(projectId: number): Promise<number> {
    const drifted = await this.db.transaction(async (tx) => {
      const [project]: { default_branch: string | null }[] = await tx.query(
        'SELECT default_branch FROM projects WHERE id = $1 FOR UPDATE',
        [projectId],
      );
      if (!project) return 0;
      const git = await this.storage.open(projectId);
      const held = await gitRefs(git);
      const drift = indexDrift(held, await indexedRefs(tx, projectId));
      if (drift.length)
        await indexPush(
          tx,
          git,
          projectId,
          drift.map(({ refType, name, object }) => ({ refType, name, sha: object })),
        );
      if (project.default_branch === null) await this.adoptDefaultBranch(tx, git, projectId, held);
      await tx.query(
        `DELETE FROM repository_ref_intents WHERE id IN (
           SELECT id FROM repository_ref_intents WHERE project_id = $1 FOR UPDATE SKIP LOCKED)`,
        [projectId],
      );
      return drift.length;
    });
    if (drifted) this.logger.warn({ msg: 'index repaired to follow git', projectId, refs: drifted });
    return drifted;
  }

  /** Repairs the projects with intents no writer holds (older than `minAgeMs`, or all at start). Answers how many. */
  async repairPending(minAgeMs: number | null): Promise<number> {
    const before = minAgeMs === null ? null : new Date(this.clock.now().getTime() - minAgeMs);
    const rows: { project_id: string }[] = await this.db.query(
      `SELECT DISTINCT project_id FROM (
         SELECT project_id FROM repository_ref_intents WHERE $1::timestamptz IS NULL OR created_at < $1
         LIMIT ${SWEEP_BATCH} FOR UPDATE SKIP LOCKED) pending`,
      [before],
    );
    for (const row of rows) await this.repair(Number(row.project_id));
    return rows.length;
  }

  /**
   * A first branch whose index never committed: the project adopts it as its default branch (the one HEAD names when it
   * exists, else the first), protected, as the write would have done.
   */
  private async adoptDefaultBranch(tx: EntityManager, git: GitRepository, projectId: number, held: readonly GitHeldRef[]) {
    const branches = held.filter((ref) => ref.refType === 'branch').map((ref) => ref.name);
    if (!branches.length) return;
    const head = (await git.text(['symbolic-ref', '--quiet', 'HEAD']).catch(() => '')).replace(/^refs\/heads\//, '');
    const branch = branches.includes(head) ? head : branches[0];
    await protectDefaultBranch(tx, this.repository, projectId, branch);
    await tx.query('UPDATE projects SET default_branch = $2 WHERE id = $1', [projectId, branch]);
    await this.storage.setHead(projectId, branch);
  }
}

async function gitRefs(git: GitRepository): Promise<GitHeldRef[]> {
  const listing = await git.text(['for-each-ref', '--format=%(objectname) %(*objectname) %(refname)', 'refs/heads', 'refs/tags']);
  return listing
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [object, peeled, refName] = line.split(' ');
      const branch = refName.startsWith('refs/heads/');
      return {
        refType: branch ? 'branch' : 'tag',
        name: refName.slice(branch ? 'refs/heads/'.length : 'refs/tags/'.length),
        object,
        commit: peeled || object,
      };
    });
}

async function indexedRefs(tx: EntityManager, projectId: number): Promise<IndexedRef[]> {
  const rows: { ref_type: 'branch' | 'tag'; name: string; commit_sha: string }[] = await tx.query(
    'SELECT ref_type, name, commit_sha FROM repository_refs WHERE project_id = $1',
    [projectId],
  );
  return rows.map((row) => ({ refType: row.ref_type, name: row.name, commitSha: row.commit_sha }));
}
