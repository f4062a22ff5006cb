import { AccessLevel } from '@lanyard/access';
import { matchesRefPattern } from '@lanyard/git-refs';
import type { ProtectedRef } from './protected-ref.entity';
import { RefActor, protectionAllows } from './protection-level';

const DEVELOPERS = 30;

/** The protection rules of one project and ref type, answering GitLab's questions about a given ref name. */
export class RefProtection {
  constructor(readonly rules: readonly ProtectedRef[]) {}

  matching(name: string): ProtectedRef[] {
    return this.rules.filter((rule) => matchesRefPattern(rule.name, name));
  }

  isProtected(name: string): boolean {
    return this.matching(name).length > 0;
  }

  /** Pushing a branch, or creating a tag: any matching rule that lets the actor in is enough, as in GitLab. */
  allowsPush(name: string, actor: RefActor): boolean {
    const matching = this.matching(name);
    if (!matching.length) return actor.admin || actor.level >= AccessLevel.Developer;
    return matching.some((rule) => protectionAllows(rule.pushAccessLevel, actor));
  }

  /** GitLab runs a pipeline for a protected ref only for someone who may push to it or merge into it. */
  allowsPipeline(name: string, actor: RefActor): boolean {
    const matching = this.matching(name);
    if (!matching.length) return actor.admin || actor.level >= AccessLevel.Developer;
    return matching.some((rule) => protectionAllows(rule.pushAccessLevel, actor) || protectionAllows(rule.mergeAccessLevel, actor));
  }

  developersCan(action: 'push' | 'merge', name: string): boolean {
    return this.matching(name).some((rule) => (action === 'push' ? rule.pushAccessLevel : rule.mergeAccessLevel) === DEVELOPERS);
  }
}
