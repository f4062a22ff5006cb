import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DeploymentTier, isValidEnvironmentName } from '@lanyard/ci-config';
import { guessDeploymentTier } from '@lanyard/pipelines';
import { DataSource, EntityManager } from 'typeorm';
import { Page } from '../common/pagination';
import type { Project } from '../entities/project.entity';
import { CreateEnvironmentDto, EnvironmentListQuery } from './dto/environment.dto';
import { Environment } from './environment.entity';
import { presentEnvironment } from './environments.presenter';
import { EnvironmentError } from './environment-errors';

const INSERT_ENVIRONMENT = `
  INSERT INTO environments (project_id, name, tier) VALUES ($1, $2, $3)
  ON CONFLICT (project_id, name) DO NOTHING RETURNING id`;

@Injectable()
export class EnvironmentsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(project: Project, query: EnvironmentListQuery) {
    if (query.name !== undefined && !isValidEnvironmentName(query.name)) return new Page([], 0, query);
    const [environments, total] = await this.db.getRepository(Environment).findAndCount({
      where: { projectId: project.id, ...(query.name === undefined ? {} : { name: query.name }) },
      order: { id: 'ASC' },
      skip: query.offset,
      take: query.per_page,
    });
    return new Page(environments.map(presentEnvironment), total, query);
  }

  async show(project: Project, id: number) {
    // Ids beyond bigint cannot exist; answering early keeps them away from SQL.
    if (!Number.isSafeInteger(id) || id < 1) throw new EnvironmentError('ENVIRONMENT_NOT_FOUND');
    const environment = await this.db.getRepository(Environment).findOneBy({ projectId: project.id, id });
    if (!environment) throw new EnvironmentError('ENVIRONMENT_NOT_FOUND');
    return presentEnvironment(environment);
  }

  async create(project: Project, dto: CreateEnvironmentDto) {
    const tier = dto.tier ?? guessDeploymentTier(dto.name);
    const inserted: { id: number }[] = await this.db.query(INSERT_ENVIRONMENT, [project.id, dto.name, tier]);
    if (!inserted.length) throw new EnvironmentError('NAME_TAKEN');
    return presentEnvironment(await this.db.getRepository(Environment).findOneByOrFail({ id: inserted[0].id }));
  }

  /**
   * The project's environment called `name`, created with `tier` if it does not exist yet (a job's `environment:`);
   * an existing environment keeps its tier. Runs only on `db`, so it can join the caller's transaction. Two callers
   * racing on one name both get the same row: the loser's insert waits for the winner's commit and does nothing, and
   * its next statement sees the row (READ COMMITTED, PostgreSQL's default). A name GitLab would not accept is a 400
   * naming `name`; callers can check `isValidEnvironmentName` first.
   */
  async ensure(db: EntityManager, projectId: number, name: string, tier: DeploymentTier): Promise<Environment> {
    if (!isValidEnvironmentName(name)) throw new EnvironmentError('NAME_INVALID');
    const repository = db.getRepository(Environment);
    // Looking first spares a sequence value on every later job of the environment.
    const existing = await repository.findOneBy({ projectId, name });
    if (existing) return existing;
    await db.query(INSERT_ENVIRONMENT, [projectId, name, tier]);
    return repository.findOneByOrFail({ projectId, name });
  }
}
