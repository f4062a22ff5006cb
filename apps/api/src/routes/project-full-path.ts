import { projectFullPath } from '@lanyard/access';
import { EntityManager } from 'typeorm';
import { Namespace } from '../entities/namespace.entity';
import type { Project } from '../entities/project.entity';
import { loadNamespacePath } from './namespace-paths';

/** A project's full path (`acme/platform/app`), from its namespace's as stored now. */
export async function loadProjectFullPath(db: EntityManager, project: Project): Promise<string> {
  const namespace = await db.getRepository(Namespace).findOneByOrFail({ id: project.namespaceId });
  return projectFullPath((await loadNamespacePath(db, namespace)).fullPath, project.path);
}
