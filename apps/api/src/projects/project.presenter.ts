import { NamespacePath } from '../routes/namespace-paths';
import { Namespace } from '../entities/namespace.entity';
import { projectFullPath } from '@lanyard/access';
import type { EffectiveCiSettings } from '@lanyard/id-tokens';
import { Project } from '../entities/project.entity';

/** The `namespace` object embedded in projects. */
function presentNamespaceBasic(namespace: Namespace, path: NamespacePath, externalUrl: string) {
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

/** GitLab's `BasicProjectDetails` fields, as `forked_from_project` shows the parent. */
export function presentProjectBasic(project: Project, namespace: Namespace, namespacePath: NamespacePath, externalUrl: string) {
  const pathWithNamespace = projectFullPath(namespacePath.fullPath, project.path);
  const webUrl = `${externalUrl}/${pathWithNamespace}`;
  return {
    id: project.id,
    description: project.description,
    name: project.name,
    name_with_namespace: `${namespacePath.fullName} / ${project.name}`,
    path: project.path,
    path_with_namespace: pathWithNamespace,
    created_at: project.createdAt.toISOString(),
    default_branch: project.defaultBranch,
    visibility: project.visibility,
    web_url: webUrl,
    http_url_to_repo: `${webUrl}.git`,
    ssh_url_to_repo: null,
    readme_url: null,
    avatar_url: null,
    namespace: presentNamespaceBasic(namespace, namespacePath, externalUrl),
  };
}

export function presentProject(
  project: Project,
  namespace: Namespace,
  namespacePath: NamespacePath,
  ciSettings: EffectiveCiSettings,
  externalUrl: string,
  /** The parent of a fork, when the caller may see it (GitLab's `forked_from_project`). */
  forkedFrom?: ReturnType<typeof presentProjectBasic>,
) {
  return {
    ...presentProjectBasic(project, namespace, namespacePath, externalUrl),
    build_timeout: project.buildTimeout,
    ci_opt_in_jwt: ciSettings.optInJwt,
    ci_id_token_sub_claim_components: ciSettings.subClaimComponents,
    ci_pipeline_variables_minimum_override_role: project.pipelineVariablesMinimumOverrideRole,
    creator_id: project.creatorId,
    // Both only when the project is a fork whose parent the caller may see: the id alone would reveal a private parent.
    forked_from_project_id: forkedFrom?.id ?? null,
    ...(forkedFrom ? { forked_from_project: forkedFrom } : {}),
    archived: false,
    empty_repo: project.defaultBranch === null,
  };
}
