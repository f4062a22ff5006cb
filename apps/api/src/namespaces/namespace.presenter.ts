import { Namespace } from '../entities/namespace.entity';
import { NamespacePath } from './namespace-paths';

/** The `namespace` object embedded in projects. */
export function presentNamespaceBasic(namespace: Namespace, path: NamespacePath, externalUrl: string) {
  return {
    id: namespace.id,
    name: namespace.name,
    path: namespace.path,
    kind: namespace.type === 'User' ? 'user' : 'group',
    full_path: path.fullPath,
    parent_id: namespace.parentId,
    avatar_url: null,
    web_url: namespace.type === 'User' ? `${externalUrl}/${namespace.path}` : `${externalUrl}/groups/${path.fullPath}`,
  };
}

export function presentGroup(group: Namespace, path: NamespacePath, externalUrl: string) {
  return {
    id: group.id,
    web_url: `${externalUrl}/groups/${path.fullPath}`,
    name: group.name,
    path: group.path,
    description: group.description,
    visibility: group.visibility,
    full_name: path.fullName,
    full_path: path.fullPath,
    parent_id: group.parentId,
    created_at: group.createdAt.toISOString(),
    avatar_url: null,
  };
}
