import { type JobDefinition, expandExisting } from '@lanyard/ci-config';
import { seedCacheKey } from '@lanyard/pipelines';
import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { SeededRunnerOptions } from './job-metadata';

/** The commit whose files `key:files` reads: the pipeline's, in the project its `.gitlab-ci.yml` came from. */
export interface CommitFiles {
  readonly projectId: number;
  readonly sha: string;
}

/**
 * What GitLab decides for a job's runner when the pipeline is created (`Seed::Build`): its `key:files` cache keys
 * (`Seed::Build::Cache#key_string`) and its tags expanded (`evaluate_runner_tags`). Each set of key files is read
 * once per pipeline.
 */
export class RunnerOptionsSeed {
  private readonly digests = new Map<string, Promise<string | null>>();

  constructor(
    private readonly tx: EntityManager,
    private readonly commit: CommitFiles,
    /** The variables known when the job is created, as its `$VARIABLES` expand then (also read for its resource group). */
    readonly variablesFor: (job: JobDefinition) => Promise<Map<string, string>>,
  ) {}

  async of(job: JobDefinition): Promise<SeededRunnerOptions> {
    const cacheKeys: string[] = [];
    for (const [index, cache] of job.cache.entries()) {
      cacheKeys.push(seedCacheKey(cache, index, typeof cache.key === 'string' ? null : await this.filesDigest(cache.key.files)));
    }
    return { cacheKeys, tags: await this.tags(job) };
  }

  /** GitLab's `ExpandVariables.expand_existing` on each tag: unknown references stay as written. */
  private async tags(job: JobDefinition): Promise<string[]> {
    if (!job.tags.some((tag) => /[$%]/.test(tag))) return [...job.tags];
    const variables = Object.fromEntries(await this.variablesFor(job));
    return job.tags.map((tag) => expandExisting(tag, variables));
  }

  private filesDigest(files: readonly string[]): Promise<string | null> {
    const key = JSON.stringify(files);
    let digest = this.digests.get(key);
    if (!digest) {
      digest = this.readDigest(files);
      this.digests.set(key, digest);
    }
    return digest;
  }

  /**
   * GitLab's `hash_of_file_contents`: the SHA-1 of the sorted, distinct git blob ids of the files that exist at the
   * pipeline's commit (`*` patterns matched against its paths), joined by `-`; null when none exists.
   */
  private async readDigest(files: readonly string[]): Promise<string | null> {
    const exact = files.filter((file) => file && !file.includes('*'));
    const patterns = files.filter((file) => file.includes('*')).map(wildcardRegex);
    const rows: { content: Buffer }[] = await this.tx.query(
      `SELECT f.content FROM repository_files f JOIN repository_commits c ON c.id = f.commit_id
        WHERE c.project_id = $1 AND c.sha = $2 AND (f.path = ANY($3) OR f.path ~ ANY($4))`,
      [this.commit.projectId, this.commit.sha, exact, patterns],
    );
    const blobIds = [...new Set(rows.map((row) => gitBlobId(row.content)))].sort();
    return blobIds.length ? createHash('sha1').update(blobIds.join('-')).digest('hex') : null;
  }
}

/**
 * GitLab's `Repository#search_files_by_wildcard_path`: the path matched whole, `**` across directories, `*` within
 * one. Everything else is escaped, so a project's pattern never becomes a regular expression of its own.
 */
function wildcardRegex(pattern: string): string {
  const escaped = pattern.replace(/[.^$|?*+()[\]{}\\]/g, '\\$&');
  return `^${escaped.replace(/\\\*\\\*/g, '.*').replace(/\\\*/g, '[^/]*')}$`;
}

/** A file's git object id: SHA-1 of `blob <size>\0<content>`. */
function gitBlobId(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}
