/**
 * Why a caller may not create a pipeline, in GitLab's words (`Gitlab::Ci::Pipeline::Chain::Validate::Abilities`),
 * in GitLab's order: the ability first, then the ref. Null: they may.
 */
export interface PipelinePermissionInput {
  /** GitLab's `:create_pipeline`: developer or above, or an admin. */
  readonly mayCreatePipeline: boolean;
  /** May push to the branch (or merge into it) or create the tag; always true for an unprotected ref. */
  readonly mayWriteRef: boolean;
  readonly ref: string;
}

export function pipelinePermissionError(input: PipelinePermissionInput): string | null {
  if (!input.mayCreatePipeline) return 'Insufficient permissions to create a new pipeline';
  if (!input.mayWriteRef) {
    return `You do not have sufficient permission to run a pipeline on '${input.ref}'. Please select a different branch or contact your administrator for assistance.`;
  }
  return null;
}
