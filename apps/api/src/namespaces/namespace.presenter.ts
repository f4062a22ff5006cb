import { Namespace } from '../entities/namespace.entity';
import { NamespacePath } from '../routes/namespace-paths';

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
