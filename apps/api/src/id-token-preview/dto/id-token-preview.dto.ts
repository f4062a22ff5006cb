import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PIPELINE_SOURCES, PipelineSource } from '../../pipelines/pipeline.entity';

export class IdTokenPreviewDto {
  /** A branch or tag (or `refs/heads/…`, `refs/tags/…`), as `POST /projects/:id/pipeline` takes it. */
  @IsString()
  @Length(1, 255)
  ref!: string;

  @IsString()
  @Length(1, 255)
  job!: string;

  /** Unsaved `.gitlab-ci.yml`; the file at `ref` when absent. Bounded like lint's: the parser refuses over 1 MB. */
  @IsOptional()
  @IsString()
  content?: string;

  /** How the pipeline would start (`pipeline_source` claim, a possible `sub` component); `push` when absent. */
  @IsOptional()
  @IsIn(PIPELINE_SOURCES)
  pipeline_source?: PipelineSource;
}
