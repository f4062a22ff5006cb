import { Inject, Injectable, StreamableFile } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  BuildStatus,
  JobLogSecrets,
  TRACE_UPDATE_INTERVAL_SECONDS,
  contentRangeStart,
  decideJobToken,
  limitAppend,
  maskAppend,
} from '@lanyard/pipelines';
import { digestToken } from '../auth/secret-token';
import { CLOCK, type Clock } from '../clock/clock';
import { Project } from '../entities/project.entity';
import { JobLogError } from './job-log-errors';
import * as sql from './job-log.statements';
import { openHeldBytes, sealHeldBytes } from './held-bytes-seal';

/** What `PATCH /jobs/:id/trace` answers with a 202: GitLab's headers. */
export interface AcceptedAppend {
  readonly Range: string;
  readonly 'Job-Status': string;
  readonly 'X-GitLab-Trace-Update-Interval': string;
}

interface LogRow {
  size: string;
  stored_size: string;
  chunks: number;
  truncated: boolean;
  held_sealed: Buffer | null;
}

/** Job logs: the runner appends (masked and capped before storing), members read. */
@Injectable()
export class JobLogsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** `PATCH /jobs/:id/trace`: the runner's next bytes, at the offset where it believes the log ends. */
  append(jobId: number, jobToken: string, contentRange: string | undefined, body: Buffer): Promise<AcceptedAppend> {
    return this.db.transaction(async (tx) => {
      const [job] = (await tx.query(sql.LOCK_JOB, [jobId])) as { project_id: string; status: BuildStatus; token_digest: string | null }[];
      const decision = decideJobToken(job ? { tokenDigest: job.token_digest, status: job.status } : null, digestToken(jobToken));
      if (decision !== 'accepted') throw new JobLogError('JOB_TOKEN_REFUSED', decision === 'refused' ? {} : { jobStatus: job.status });
      const start = contentRangeStart(contentRange);
      if (start === 'missing') throw new JobLogError('CONTENT_RANGE_MISSING');
      if (start === 'malformed') throw new JobLogError('CONTENT_RANGE_INVALID');
      const log = await this.lockLog(tx, jobId);
      if (start !== Number(log.size)) throw new JobLogError('RANGE_NOT_SATISFIABLE', { size: Number(log.size) });
      await this.store(tx, jobId, Number(job.project_id), log, jobToken, body, false);
      return {
        Range: `0-${Number(log.size) + body.length}`,
        'Job-Status': job.status,
        'X-GitLab-Trace-Update-Interval': String(TRACE_UPDATE_INTERVAL_SECONDS),
      };
    });
  }

  /** The job finished (its final update, in that update's transaction): the bytes held back are masked and stored. */
  async finish(tx: EntityManager, job: { readonly id: number; readonly projectId: number }, jobToken: string): Promise<void> {
    const [log] = (await tx.query(sql.LOCK_LOG, [job.id])) as LogRow[];
    if (log?.held_sealed) await this.store(tx, job.id, job.projectId, log, jobToken, Buffer.alloc(0), true);
  }

  /** The stored (masked) log of a job, in the caller's transaction: what `coverage:` reads when the job finishes. */
  async content(tx: EntityManager, jobId: number): Promise<Buffer> {
    const chunks = (await tx.query(sql.READ_LOG, [jobId])) as { data: Buffer }[];
    return Buffer.concat(chunks.map((chunk) => chunk.data));
  }

  /** `GET /projects/:id/jobs/:job_id/trace`: the stored log, masked; empty before the runner sent any. */
  async read(project: Project, jobId: number): Promise<StreamableFile> {
    const found = Number.isSafeInteger(jobId) && jobId > 0 ? await this.db.query(sql.JOB_IN_PROJECT, [jobId, project.id]) : [];
    if (found.length === 0) throw new JobLogError('JOB_NOT_FOUND');
    const chunks = (await this.db.query(sql.READ_LOG, [jobId])) as { data: Buffer }[];
    return new StreamableFile(Buffer.concat(chunks.map((chunk) => chunk.data)), { type: 'text/plain' });
  }

  private async lockLog(tx: EntityManager, jobId: number): Promise<LogRow> {
    await tx.query(sql.ENSURE_LOG, [jobId, this.clock.now()]);
    const [log] = (await tx.query(sql.LOCK_LOG, [jobId])) as LogRow[];
    return log;
  }

  /** Masks the held bytes and `body` together, stores what may be stored now and seals what must wait. */
  private async store(tx: EntityManager, jobId: number, projectId: number, log: LogRow, jobToken: string, body: Buffer, final: boolean) {
    const held = log.held_sealed ? (openHeldBytes(log.held_sealed, jobToken) ?? Buffer.alloc(0)) : Buffer.alloc(0);
    const masked = maskAppend(held.toString('latin1'), body.toString('latin1'), await this.secrets(tx, jobId, projectId, jobToken), final);
    const limited = limitAppend(Number(log.stored_size), masked.emit, log.truncated);
    const stored = Buffer.from(limited.store, 'latin1');
    if (stored.length > 0) await tx.query(sql.ADD_CHUNK, [jobId, log.chunks, stored]);
    const stillHeld = limited.truncated || masked.held === '' ? null : sealHeldBytes(Buffer.from(masked.held, 'latin1'), jobToken);
    await tx.query(sql.UPDATE_LOG, [
      jobId,
      body.length,
      stored.length,
      stored.length > 0 ? 1 : 0,
      limited.truncated,
      stillHeld,
      this.clock.now(),
    ]);
  }

  /** The job's secrets, read where they are kept: masked variables, ID tokens by `jti`, and the token it runs with. */
  private async secrets(tx: EntityManager, jobId: number, projectId: number, jobToken: string): Promise<JobLogSecrets> {
    const values = (await tx.query(sql.MASKED_VALUES, [projectId])) as { value: string }[];
    const jtis = (await tx.query(sql.ID_TOKEN_JTIS, [jobId])) as { jti: string }[];
    return { phrases: [jobToken, ...values.map((row) => row.value)], idTokenJtis: jtis.map((row) => row.jti) };
  }
}
