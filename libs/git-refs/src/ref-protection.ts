import { AccessLevel } from '@lanyard/access';
import { type ProtectionLevel, type RefActor, protectionAllows } from './protection-level';
import { matchesRefPattern } from './ref-pattern';

/** One protected-ref rule of a project (GitLab's protected branch or tag): a name or wildcard and who may do what. */
export interface ProtectionRule {
  readonly name: string;
  readonly pushAccessLevel: ProtectionLevel;
  readonly mergeAccessLevel: ProtectionLevel;
}

const DEVELOPERS = 30;

/** The protection rules of one project and ref type, answering GitLab's questions about a given ref name. */
export class RefProtection<Rule extends ProtectionRule = ProtectionRule> {
  constructor(readonly rules: readonly Rule[]) {}

  matching(name: string): Rule[] {
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
