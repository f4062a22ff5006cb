import { EntityManager } from 'typeorm';
import { Namespace } from '../entities/namespace.entity';
import { findNamespaceByFullPath, parseIdOrPath } from './namespace-paths';

/** A group (never a personal namespace) by id or full path. */
export async function findGroup(db: EntityManager, idOrPath: string): Promise<Namespace | null> {
  const key = parseIdOrPath(idOrPath);
  if (!key) return null;
  const namespace = 'id' in key ? await db.getRepository(Namespace).findOneBy({ id: key.id }) : await findNamespaceByFullPath(db, key.path);
  return namespace?.type === 'Group' ? namespace : null;
}
