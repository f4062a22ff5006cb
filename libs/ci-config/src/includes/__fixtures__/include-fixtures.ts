import type { IncludeContext, IncludeLoader, IncludeProject } from '../include-types';
import { resolveIncludes } from '../resolve-includes';

export const SHA = 'a'.repeat(40);
export const LIB_SHA = 'b'.repeat(40);
export const LIB_V1 = 'c'.repeat(40);

interface FakeProject {
  readonly project: IncludeProject;
  readonly refs: Readonly<Record<string, string>>;
  readonly files: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** False: the user may not read it, so the loader answers as if it did not exist. */
  readonly readable: boolean;
}

/** An in-memory repository; `reads` records what was read, so a test can see nothing else was. */
export function fakeLoader(projects: readonly FakeProject[]): IncludeLoader & { reads: string[] } {
  const byId = new Map(projects.map((each) => [each.project.id, each]));
  const reads: string[] = [];
  return {
    reads,
    findProject: async (path) => projects.find((each) => each.readable && each.project.fullPath.toLowerCase() === path)?.project ?? null,
    resolveRef: async (project, ref) => byId.get(project.id)?.refs[ref] ?? null,
    readFile: async (project, sha, path) => {
      reads.push(`${project.fullPath}@${sha.slice(0, 1)}:${path}`);
      return byId.get(project.id)?.files[sha]?.[path] ?? null;
    },
    listFiles: async (project, sha) => Object.keys(byId.get(project.id)?.files[sha] ?? {}),
  };
}

export const APP: IncludeProject = { id: 1, fullPath: 'group/app' };
export const LIB: IncludeProject = { id: 2, fullPath: 'Group/CI-Lib' };
export const SECRET: IncludeProject = { id: 3, fullPath: 'hidden/secret' };

export function repository(appFiles: Record<string, string>, libFiles: Record<string, string> = {}): ReturnType<typeof fakeLoader> {
  return fakeLoader([
    { project: APP, refs: { HEAD: SHA }, files: { [SHA]: appFiles }, readable: true },
    {
      project: LIB,
      refs: { HEAD: LIB_SHA, main: LIB_SHA, v1: LIB_V1 },
      files: { [LIB_SHA]: libFiles, [LIB_V1]: { 'ci/build.yml': 'lib_v1: {script: v1}' } },
      readable: true,
    },
    { project: SECRET, refs: { HEAD: SHA }, files: { [SHA]: { 'ci/secret.yml': 'leak: {script: "echo SECRET_TOKEN"}' } }, readable: false },
  ]);
}

export const CONTEXT: IncludeContext = { project: APP, sha: SHA };

/** The merged configuration as plain data, or the errors. */
export async function resolve(source: string, loader: IncludeLoader, context: IncludeContext = CONTEXT): Promise<unknown> {
  const result = await resolveIncludes(source, context, loader);
  return result.ok ? toPlain(result.root) : { errors: result.errors };
}

export function toPlain(value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries([...value].map(([key, item]) => [key, toPlain(item)]));
  if (Array.isArray(value)) return value.map(toPlain);
  return value;
}

export async function errorOf(source: string, files: Record<string, string> = {}, context: IncludeContext = CONTEXT): Promise<string[]> {
  const result = await resolveIncludes(source, context, repository(files, { 'ci/lib.yml': 'lib: {script: x}', 'empty.yml': '  \n' }));
  if (result.ok) throw new Error('expected an include error');
  return [...result.errors];
}
