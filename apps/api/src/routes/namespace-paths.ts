import { EntityManager } from 'typeorm';
import { Namespace } from '../entities/namespace.entity';

export interface NamespacePath {
  readonly fullPath: string;
  readonly fullName: string;
}

/** Full paths (`acme/platform/team`) and names (`Acme / Platform / Team`) of namespaces, in one query. */
export async function loadNamespacePaths(db: EntityManager, namespaces: readonly Namespace[]): Promise<Map<number, NamespacePath>> {
  const ids = [...new Set(namespaces.flatMap((namespace) => namespace.traversalIds))];
  const rows: { id: string; path: string; name: string }[] = ids.length
    ? await db.query('SELECT id, path, name FROM namespaces WHERE id = ANY($1)', [ids])
    : [];
  const byId = new Map(rows.map((row) => [Number(row.id), row]));
  const result = new Map<number, NamespacePath>();
  for (const namespace of namespaces) {
    const chain = namespace.traversalIds.map((id) => byId.get(id) ?? { path: '?', name: '?' });
    result.set(namespace.id, {
      fullPath: chain.map((n) => n.path).join('/'),
      fullName: chain.map((n) => n.name).join(' / '),
    });
  }
  return result;
}

export async function loadNamespacePath(db: EntityManager, namespace: Namespace): Promise<NamespacePath> {
  return (await loadNamespacePaths(db, [namespace])).get(namespace.id)!;
}

/** The namespace at a full path such as `acme/platform`, matched case-insensitively as GitLab does. */
export async function findNamespaceByFullPath(db: EntityManager, fullPath: string): Promise<Namespace | null> {
  const segments = fullPath.split('/');
  if (segments.some((segment) => segment === '') || segments.length > 21) return null;
  let parentId: number | undefined;
  let current: Namespace | null = null;
  for (const segment of segments) {
    current = await db
      .getRepository(Namespace)
      .createQueryBuilder('n')
      .where('lower(n.path) = lower(:segment)', { segment })
      .andWhere(parentId === undefined ? 'n.parent_id IS NULL' : 'n.parent_id = :parentId', { parentId })
      .getOne();
    if (!current) return null;
    parentId = current.id;
  }
  return current;
}

/** A path parameter is a numeric id or a URL-encoded full path. */
export function parseIdOrPath(raw: string): { id: number } | { path: string } | null {
  if (/^\d{1,15}$/.test(raw)) return { id: Number(raw) };
  if (raw.length === 0 || raw.length > 2048) return null;
  return { path: raw.replace(/^\/+|\/+$/g, '') };
}
