import { CI_CONFIG_LIMITS as LIMITS } from './limits';
import { ciConfigMessages as msg } from './messages';
import { rubyInspect } from './ruby-inspect';
import type { JobDefinition } from './types';
import type { Problems } from './values';

/**
 * GitLab's logical checks once every job is known (`YamlProcessor#validate_job_dependencies!`, `#validate_job_needs!`,
 * `Pipeline::Seed::Build#needs_errors`, `YamlProcessor::Dag`): dependencies and needs name jobs of the current or an
 * earlier stage, needs are not repeated nor more than 50, and needs form no cycle.
 */
export function checkJobGraph(jobs: readonly JobDefinition[], stages: readonly string[], problems: Problems): void {
  const stageOf = new Map(jobs.map((job) => [job.name, stages.indexOf(job.stage)]));
  const before = problems.errors.length;
  for (const job of jobs) {
    const stage = stageOf.get(job.name) ?? -1;
    const check = (name: string, kind: 'dependency' | 'need', optional: boolean): void => {
      const other = stageOf.get(name);
      if (other === undefined) {
        if (!optional) problems.error(kind === 'need' ? msg.needUndefined(job.name, name) : msg.dependencyUndefined(job.name, name));
      } else if (other > stage) {
        problems.error(kind === 'need' ? msg.needLater(job.name, name) : msg.dependencyLater(job.name, name));
      }
    };
    for (const dependency of job.dependencies ?? []) check(dependency, 'dependency', false);
    if (!job.needs) continue;
    const names = job.needs.map((need) => need.job);
    const duplicated = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
    if (duplicated.length > 0) problems.error(msg.needsDuplicated(job.name, duplicated));
    for (const need of job.needs) check(need.job, 'need', need.optional);
    if (job.needs.length > LIMITS.maxNeeds) problems.error(msg.tooManyNeeds(job.name, LIMITS.maxNeeds, job.needs.length));
  }
  if (problems.errors.length !== before) return;
  const cycle = findCycle(jobs);
  if (cycle) problems.error(msg.circularNeeds(cycle));
}

/**
 * Ruby's `TSort#tsort` over the needs as GitLab's `Dag` runs it (jobs in order, needs in order, Tarjan's strongly
 * connected components), without recursion: the first cycle found, worded as Ruby words it (`self-dependency: a`,
 * `topological sort failed: ["a", "c", "b"]`), or null.
 */
function findCycle(jobs: readonly JobDefinition[]): string | null {
  const children = new Map(jobs.map((job) => [job.name, (job.needs ?? []).map((need) => need.job)]));
  const ids = new Map<string, number | null>();
  const stack: string[] = [];
  for (const root of children.keys()) {
    if (ids.has(root)) continue;
    interface Frame {
      readonly node: string;
      readonly id: number;
      readonly stackLength: number;
      minimum: number;
      next: number;
    }
    const enter = (node: string): Frame | string => {
      const needs = children.get(node) ?? [];
      if (needs.includes(node)) return `self-dependency: ${node}`;
      const frame = { node, id: ids.size, stackLength: stack.length, minimum: ids.size, next: 0 };
      ids.set(node, frame.id);
      stack.push(node);
      return frame;
    };
    const first = enter(root);
    if (typeof first === 'string') return first;
    const frames: Frame[] = [first];
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const needs = children.get(frame.node) ?? [];
      if (frame.next < needs.length) {
        const child = needs[frame.next++];
        // GitLab's `tsort_each_child` skips needs that are not jobs (optional needs).
        if (!children.has(child)) continue;
        if (ids.has(child)) {
          const id = ids.get(child);
          if (id !== null && id !== undefined && id < frame.minimum) frame.minimum = id;
          continue;
        }
        const entered = enter(child);
        if (typeof entered === 'string') return entered;
        frames.push(entered);
        continue;
      }
      frames.pop();
      if (frame.id === frame.minimum) {
        const component = stack.splice(frame.stackLength);
        for (const node of component) ids.set(node, null);
        if (component.length > 1) return `topological sort failed: ${rubyInspect(component)}`;
      }
      const parent = frames[frames.length - 1];
      if (parent && frame.minimum < parent.minimum) parent.minimum = frame.minimum;
    }
  }
  return null;
}
