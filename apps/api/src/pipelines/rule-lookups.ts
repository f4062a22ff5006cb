import { AccessLevel } from '@lanyard/access';
import { type CiConfigResult, type ProjectFiles, type RuleDefinition, expandExisting } from '@lanyard/ci-config';
import type { EntityManager } from 'typeorm';
import { AccessService } from '../auth/access.service';
import type { Caller } from '../auth/caller';
import { findProject } from '../routes/find-project';
import { loadProjectFullPath } from '../routes/project-full-path';
import type { RepositoryService } from '../repository/repository.service';
import { changedSinceMergeBase, filesAt } from './repository-facts';

/** What `changes:compare_to` and `exists:project` read, looked up before the (synchronous) rules run. */
export interface RuleLookups {
  readonly changedPathsSince: (ref: string) => readonly string[] | undefined;
  readonly filesInProject: (project: string, ref: string | null) => ProjectFiles;
}

/** Where the pipeline's code is, and who creates it (`exists:project` reads only what they may read). */
export interface LookupScope {
  readonly caller: Caller;
  readonly codeProjectId: number;
  readonly sha: string;
  /** The variables a value may name before the job's own: a written `$VAR` is looked up as written and expanded. */
  readonly variables: Readonly<Record<string, string>>;
}

/** The rules of `workflow:` and of every job, where `compare_to` and `exists:project` are written. */
function allRules(config: CiConfigResult): RuleDefinition[] {
  const jobRules = config.jobs.flatMap((job) => job.inclusion?.rules ?? []);
  return [...(config.workflow?.rules ?? []), ...jobRules];
}

/** Which repository reads the configuration's rules need: a file without `changes` or `exists` needs neither. */
export function repositoryReads(config: CiConfigResult): { readonly diff: boolean; readonly files: boolean } {
  const rules = allRules(config);
  const policies = config.jobs.flatMap((job) => [job.inclusion?.only, job.inclusion?.except]);
  return {
    diff: rules.some((rule) => rule.changes !== undefined) || policies.some((policy) => policy?.changes !== undefined),
    files: rules.some((rule) => rule.exists !== undefined && rule.exists.project === undefined),
  };
}

/**
 * Loads the refs and projects the configuration's rules name, as written and expanded with the pipeline's variables
 * (GitLab expands them with the job's; a value naming a job variable is not found, which GitLab reports as invalid).
 */
export async function loadRuleLookups(
  tx: EntityManager,
  repository: RepositoryService,
  access: AccessService,
  config: CiConfigResult,
  scope: LookupScope,
): Promise<RuleLookups> {
  const spellings = (value: string) => [...new Set([value, expandExisting(value, scope.variables)])];
  const since = new Map<string, readonly string[]>();
  const projects = new Map<string, ProjectFiles>();
  for (const rule of allRules(config)) {
    for (const ref of rule.changes?.compareTo !== undefined ? spellings(rule.changes.compareTo) : []) {
      if (since.has(ref)) continue;
      const resolved = await repository.resolveRevision(tx, scope.codeProjectId, ref);
      const paths =
        resolved && (await changedSinceMergeBase(tx, repository, scope.codeProjectId, scope.sha, scope.codeProjectId, resolved.sha));
      if (paths) since.set(ref, paths);
    }
    if (rule.exists?.project === undefined) continue;
    const refs = rule.exists.ref === undefined ? [null] : spellings(rule.exists.ref);
    for (const path of spellings(rule.exists.project)) {
      for (const ref of refs) {
        const key = lookupKey(path, ref);
        if (!projects.has(key)) projects.set(key, await projectFiles(tx, repository, access, scope.caller, path, ref));
      }
    }
  }
  return {
    changedPathsSince: (ref) => since.get(ref),
    filesInProject: (project, ref) => projects.get(lookupKey(project, ref)) ?? { missing: 'project' },
  };
}

function lookupKey(project: string, ref: string | null): string {
  return `${project}\0${ref ?? ''}`;
}

/** GitLab's `Clause::Exists`: a project the user may not read the code of is "not found or access denied". */
async function projectFiles(
  tx: EntityManager,
  repository: RepositoryService,
  access: AccessService,
  caller: Caller,
  path: string,
  ref: string | null,
): Promise<ProjectFiles> {
  const project = path.includes('/') ? await findProject(tx, path) : null;
  if (!project) return { missing: 'project' };
  const readable =
    caller.user.admin ||
    project.visibility !== 'private' ||
    (await access.levelOnProject(caller.user, project, tx)) >= AccessLevel.Reporter;
  if (!readable) return { missing: 'project' };
  const revision = ref ?? project.defaultBranch;
  const resolved = revision === null ? null : await repository.resolveRevision(tx, project.id, revision);
  if (!resolved) return { missing: 'ref', projectPath: await loadProjectFullPath(tx, project) };
  return { files: await filesAt(tx, repository, project.id, resolved.sha) };
}
