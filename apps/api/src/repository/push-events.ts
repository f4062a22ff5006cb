import { Injectable, Logger } from '@nestjs/common';
import type { Project } from '../entities/project.entity';
import type { RepositoryActor } from './repository-access.decorator';
import type { RefType } from './repository-ref.entity';

/** A ref a push created or moved: a commit through the files API, a new branch or a new tag. */
export interface PushedRef {
  readonly ref: string;
  readonly refType: RefType;
  readonly sha: string;
  /** The ref's previous head when the push moved an existing branch (GitLab's `before`); absent for a new ref. */
  readonly before?: string;
  /** `git push -o ci.variable="KEY=value"`: variables of the push's pipeline. */
  readonly variables?: readonly { readonly key: string; readonly value: string }[];
}

export interface PushListener {
  pushed(actor: RepositoryActor, project: Project, push: PushedRef): Promise<void>;
}

/**
 * Tells what follows a push (push pipelines) that it happened, once the push is committed. The repository module
 * cannot depend on the pipelines module, which reads the repository; listeners subscribe here instead.
 */
@Injectable()
export class PushEvents {
  private readonly logger = new Logger(PushEvents.name);
  private readonly listeners: PushListener[] = [];

  subscribe(listener: PushListener): void {
    this.listeners.push(listener);
  }

  /** As GitLab's post-receive work: a listener that fails is logged and never undoes or fails the push. */
  async pushed(actor: RepositoryActor, project: Project, push: PushedRef): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener.pushed(actor, project, push);
      } catch (error) {
        this.logger.error(
          `after the push of ${push.refType} ${push.ref} to project ${project.id}: ${error instanceof Error ? error.message : 'unknown error'}`,
        );
      }
    }
  }
}
