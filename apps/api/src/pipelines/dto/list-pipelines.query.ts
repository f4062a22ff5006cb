import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { PIPELINE_SOURCES, PipelineSource } from '../pipeline.entity';

/** GitLab's `GET /projects/:id/pipelines` filters that Lanyard implements. */
export class ListPipelinesQuery extends PageQuery {
  @IsOptional()
  @IsIn(PIPELINE_SOURCES)
  source?: PipelineSource;
}
