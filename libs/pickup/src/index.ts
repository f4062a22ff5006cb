export { decidePickup } from './decide-pickup';
export type { PickupDecision, PickupInput } from './decide-pickup';
export { SERVER_FAILURES, failureDetailOf, failureReasonOf } from './failure-reasons';
export { jobContextOf, jobIdentityOf } from './job-projections';
export type { IdentityOptions, JobRun } from './job-projections';
export { projectFullPathOf, runsForeignCode, sourceRefOf } from './job-snapshot';
export type { JobSnapshot, PipelineVariable } from './job-snapshot';
export type { PlannedToken, TokenPlan, TokenRefusal } from './token-plan';
