import { EntityManager } from 'typeorm';
import { findNamespaceByFullPath, parseIdOrPath } from './namespace-paths';
import { Project } from '../entities/project.entity';

/** A project by id or full path (`group/subgroup/project`). */
export async function findProject(db: EntityManager, idOrPath: string): Promise<Project | null> {
  const key = parseIdOrPath(idOrPath);
  if (!key) return null;
  if ('id' in key) return db.getRepository(Project).findOneBy({ id: key.id });
  const slash = key.path.lastIndexOf('/');
  if (slash <= 0) return null;
  const namespace = await findNamespaceByFullPath(db, key.path.slice(0, slash));
  if (!namespace) return null;
  return db
    .getRepository(Project)
    .createQueryBuilder('p')
    .where('p.namespace_id = :namespaceId', { namespaceId: namespace.id })
    .andWhere('lower(p.path) = lower(:path)', { path: key.path.slice(slash + 1) })
    .getOne();
}
