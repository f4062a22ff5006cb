import { ArrayMaxSize, IsArray, IsOptional } from 'class-validator';
import { IsObjectList } from '../../common/dto-transforms';
import { PipelineVariableDto } from './create-pipeline.dto';

/** `POST /projects/:id/jobs/:job_id/play`: variables the job runs with (GitLab's `ci_job_variables`). */
export class PlayJobDto {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsObjectList(() => PipelineVariableDto)
  job_variables_attributes?: PipelineVariableDto[];
}
