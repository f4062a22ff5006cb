import { Injectable } from '@nestjs/common';
import type { JobDefinition } from '@lanyard/ci-config';
import { audienceSecretErrors } from '@lanyard/id-tokens';
import { EntityManager, In } from 'typeorm';
import { Namespace } from '../entities/namespace.entity';
import type { Project } from '../entities/project.entity';
import { CiVariable } from '../variables/ci-variable.entity';

/**
 * Lint errors for `aud`s that refer to a secret: a job or runner token, or a masked variable of the project or its
 * groups (whatever its environment scope or protection), directly or through YAML and CI/CD variables. What only
 * shows at run time (variables changed later, pasted values) fails the job when it is minted.
 */
@Injectable()
export class AudienceSecretsService {
  async errorsFor(db: EntityManager, project: Project, jobs: readonly JobDefinition[]): Promise<string[]> {
    if (jobs.every((job) => Object.keys(job.idTokens).length === 0)) return [];
    const ciVariables = await this.projectAndGroupVariables(db, project);
    const maskedNames = new Set(ciVariables.filter((variable) => variable.masked).map((variable) => variable.key));
    // Raw values are never expanded, so a reference inside one leads nowhere.
    const followed = ciVariables
      .filter((variable) => !variable.raw && !variable.masked)
      .map((variable): [string, string] => [variable.key, variable.value]);
    return jobs.flatMap((job) =>
      audienceSecretErrors([job], { values: groupByKey([...followed, ...Object.entries(job.variables)]), maskedNames }),
    );
  }

  private async projectAndGroupVariables(db: EntityManager, project: Project): Promise<CiVariable[]> {
    const namespace = await db.getRepository(Namespace).findOneByOrFail({ id: project.namespaceId });
    const groupIds = namespace.type === 'Group' ? namespace.traversalIds : [];
    return db
      .getRepository(CiVariable)
      .find({ where: [{ projectId: project.id }, ...(groupIds.length ? [{ namespaceId: In(groupIds) }] : [])] });
  }
}

function groupByKey(entries: readonly [string, string][]): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const [key, value] of entries) values.set(key, [...(values.get(key) ?? []), value]);
  return values;
}
