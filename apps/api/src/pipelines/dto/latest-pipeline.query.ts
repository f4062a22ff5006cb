import { IsOptional, IsString, MaxLength, NotContains } from 'class-validator';

/** `GET /projects/:id/pipelines/latest`: GitLab takes the default branch when `ref` is missing or empty. */
export class LatestPipelineQuery {
  @IsOptional()
  @IsString()
  @MaxLength(255)
  @NotContains('\u0000')
  ref?: string;
}
