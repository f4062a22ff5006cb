export { jobContextOf, jobIdentityOf } from './job-snapshot';
export type { IdentityOptions, JobRun, JobSnapshot } from './job-snapshot';
export { protectedRefAccessRevoked } from './protected-ref-access';
