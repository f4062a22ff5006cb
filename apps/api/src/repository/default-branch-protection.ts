import { EntityManager } from 'typeorm';
import { DEFAULT_BRANCH_PROTECTION, type RefProtection } from '@lanyard/git-refs';
import type { RepositoryService } from './repository.service';

/**
 * As GitLab's ProtectDefaultBranchService: the default branch is protected as it comes into existence (a first
 * commit, or a fork's copied repository), unless a rule already covers it. Returns the project's branch protection.
 */
export async function protectDefaultBranch(
  tx: EntityManager,
  repository: RepositoryService,
  projectId: number,
  branch: string,
): Promise<RefProtection> {
  const protection = await repository.protection(tx, projectId, 'branch');
  if (protection.isProtected(branch)) return protection;
  const { pushAccessLevel, mergeAccessLevel, allowForcePush } = DEFAULT_BRANCH_PROTECTION;
  await tx.query(
    `INSERT INTO protected_refs (project_id, name, ref_type, push_access_level, merge_access_level, allow_force_push)
     VALUES ($1, $2, 'branch', $3, $4, $5)`,
    [projectId, branch, pushAccessLevel, mergeAccessLevel, allowForcePush],
  );
  return repository.protection(tx, projectId, 'branch');
}
