import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Project } from '../entities/project.entity';
import type { RepositoryActor } from '../repository/repository-access.decorator';
import { PushEvents, PushListener, PushedRef } from '../repository/push-events';
import { PipelineCreationService } from './pipeline-creation.service';

/** Starts GitLab's `push` pipeline after every push the repository API makes. */
@Injectable()
export class PushPipelinesService implements OnModuleInit, PushListener {
  constructor(
    private readonly pushes: PushEvents,
    private readonly creation: PipelineCreationService,
  ) {}

  onModuleInit(): void {
    this.pushes.subscribe(this);
  }

  async pushed(actor: RepositoryActor, project: Project, push: PushedRef): Promise<void> {
    await this.creation.createForPush({ user: actor.user }, project, push);
  }
}
