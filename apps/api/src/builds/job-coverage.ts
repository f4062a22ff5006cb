import { extractCoverage } from '@lanyard/pipelines';
import type { EntityManager } from 'typeorm';
import type { JobLogsService } from '../job-logs/job-logs.service';
import { BuildMetadata } from '../pipelines/build-metadata.entity';

/**
 * GitLab's `Ci::Build#update_coverage`, when a job finishes: its `coverage:` regex run on its log as stored (masked),
 * the percentage kept when one is found. A job without `coverage:` reads no log.
 */
export async function updateCoverage(tx: EntityManager, jobLogs: JobLogsService, buildId: number): Promise<void> {
  const metadata = await tx.getRepository(BuildMetadata).findOne({ select: { buildId: true, configOptions: true }, where: { buildId } });
  const pattern = metadata?.configOptions?.coverage;
  if (!pattern) return;
  const coverage = extractCoverage((await jobLogs.content(tx, buildId)).toString('utf8'), pattern);
  if (coverage !== null) await tx.query('UPDATE ci_builds SET coverage = $2 WHERE id = $1', [buildId, coverage]);
}
