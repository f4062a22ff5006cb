import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Min, ValidateIf } from 'class-validator';
import { PREVIEW_SOURCES, PreviewSource } from '../preview-pipeline';

export class IdTokenPreviewDto {
  /** A branch or tag (or `refs/heads/…`, `refs/tags/…`), as `POST /projects/:id/pipeline` takes it. */
  @ValidateIf((dto: IdTokenPreviewDto) => dto.merge_request_iid === undefined || dto.ref !== undefined)
  @IsString()
  @Length(1, 255)
  ref?: string;

  /**
   * Instead of `ref`: a merge request of this project, as `POST …/merge_requests/:iid/pipelines` would run it here
   * (its source branch's code and config, a fork's included; pipeline source `merge_request_event`).
   */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  merge_request_iid?: number;

  /** One job; every job of the config when absent, each answered with whether the pipeline would create it. */
  @IsOptional()
  @IsString()
  @Length(1, 255)
  job?: string;

  /** Unsaved `.gitlab-ci.yml`; the file at `ref` when absent. Bounded like lint's: the parser refuses over 1 MB. */
  @IsOptional()
  @IsString()
  content?: string;

  /**
   * How the pipeline would start (`pipeline_source` claim, a possible `sub` component); `push` when absent. `tag`: a
   * push of the tag `ref`. `merge_request_event` goes with `merge_request_iid` (which implies it).
   */
  @IsOptional()
  @IsIn(PREVIEW_SOURCES)
  pipeline_source?: PreviewSource;
}
