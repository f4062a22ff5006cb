import { Foundation1763880000000 } from './1763880000000-Foundation';
import { PipelinesAndRunners1763890000000 } from './1763890000000-PipelinesAndRunners';
import { IdTokens1763900000000 } from './1763900000000-IdTokens';
import { PipelineVariablesMinimumOverrideRole1764200000000 } from './1764200000000-PipelineVariablesMinimumOverrideRole';
import { ProtectedEnvironmentDeployAccessLevels1764200001000 } from './1764200001000-ProtectedEnvironmentDeployAccessLevels';
import { SigningKeyRevocation1764300000000 } from './1764300000000-SigningKeyRevocation';
import { JobTimeoutAtPickup1764400000000 } from './1764400000000-JobTimeoutAtPickup';
import { CustomClaims1764500000000 } from './1764500000000-CustomClaims';
import { ReclaimedPaths1764700000000 } from './1764700000000-ReclaimedPaths';
import { MergeRequests1764750000000 } from './1764750000000-MergeRequests';
import { PendingBuildsQueue1764900000000 } from './1764900000000-PendingBuildsQueue';
import { PendingBuildsProjectOrder1765000000000 } from './1765000000000-PendingBuildsProjectOrder';
import { ClaimNameRegistry1765100000000 } from './1765100000000-ClaimNameRegistry';
import { IdTokenPreviews1765150000000 } from './1765150000000-IdTokenPreviews';
import { ReclaimedPathReleases1765200000000 } from './1765200000000-ReclaimedPathReleases';
import { RunnerOptionsAndTags1765300000000 } from './1765300000000-RunnerOptionsAndTags';
import { JobCoverage1765300000001 } from './1765300000001-JobCoverage';
import { JobProgression1765310000000 } from './1765310000000-JobProgression';
import { PipelineNames1765320000000 } from './1765320000000-PipelineNames';
import { PersonalAccessTokenUse1765340000000 } from './1765340000000-PersonalAccessTokenUse';
import { JobTraces1765350000000 } from './1765350000000-JobTraces';
import { RunnerLocked1765360000000 } from './1765360000000-RunnerLocked';
import { GitRepositories1765400000000 } from './1765400000000-GitRepositories';
import { BuildsPipelineNameIndex1765370000000 } from './1765370000000-BuildsPipelineNameIndex';
import { JobControl1765410000000 } from './1765410000000-JobControl';
import { PipelineIids1765420000000 } from './1765420000000-PipelineIids';
import { IssuancesOutliveJobs1765420000001 } from './1765420000001-IssuancesOutliveJobs';
import { PipelineBeforeSha1765440000000 } from './1765440000000-PipelineBeforeSha';
import { LazyTreeIndex1765450000000 } from './1765450000000-LazyTreeIndex';
import { RepositoryRefIntents1765460000000 } from './1765460000000-RepositoryRefIntents';

/** Every migration in order; listed explicitly so they load the same way under Node, Jest and the CLI. */
export const MIGRATIONS = [
  Foundation1763880000000,
  PipelinesAndRunners1763890000000,
  IdTokens1763900000000,
  PipelineVariablesMinimumOverrideRole1764200000000,
  ProtectedEnvironmentDeployAccessLevels1764200001000,
  SigningKeyRevocation1764300000000,
  JobTimeoutAtPickup1764400000000,
  CustomClaims1764500000000,
  ReclaimedPaths1764700000000,
  MergeRequests1764750000000,
  PendingBuildsQueue1764900000000,
  PendingBuildsProjectOrder1765000000000,
  ClaimNameRegistry1765100000000,
  IdTokenPreviews1765150000000,
  ReclaimedPathReleases1765200000000,
  RunnerOptionsAndTags1765300000000,
  JobCoverage1765300000001,
  JobProgression1765310000000,
  PipelineNames1765320000000,
  PersonalAccessTokenUse1765340000000,
  JobTraces1765350000000,
  RunnerLocked1765360000000,
  BuildsPipelineNameIndex1765370000000,
  GitRepositories1765400000000,
  JobControl1765410000000,
  PipelineIids1765420000000,
  IssuancesOutliveJobs1765420000001,
  PipelineBeforeSha1765440000000,
  LazyTreeIndex1765450000000,
  RepositoryRefIntents1765460000000,
];
