import type { EntityManager } from 'typeorm';

/**
 * Moves a pipeline on after some of its jobs changed status: a revoked key fails the running jobs it signed tokens
 * for. The app's wiring provides it (pipelines' PipelineProgressService), so id-tokens imports no pipelines code.
 */
export interface PipelineProgress {
  advance(tx: EntityManager, pipelineId: number): Promise<void>;
}

export const PIPELINE_PROGRESS = Symbol('PipelineProgress');
