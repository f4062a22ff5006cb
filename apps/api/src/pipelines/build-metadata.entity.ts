import type { EnvironmentDefinition, IdTokenDefinition, JwtClaimValue, SecretDefinition } from '@lanyard/ci-config';
import type { JobRunnerOptions } from '@lanyard/pipelines';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What a job was defined with in `.gitlab-ci.yml`, kept apart from the hot `ci_builds` rows as GitLab does; `json` keeps key order. */
@Entity('ci_builds_metadata')
export class BuildMetadata {
  @PrimaryColumn({ name: 'build_id', type: 'bigint' })
  buildId!: number;

  @Column({ type: 'json' })
  script!: string[];

  @Column({ type: 'json' })
  variables!: Record<string, string>;

  /** In the order written: the first one is Vault's default. */
  @Column({ name: 'id_tokens', type: 'json' })
  idTokens!: Record<string, IdTokenDefinition>;

  @Column({ type: 'json' })
  secrets!: Record<string, SecretDefinition>;

  @Column({ name: 'jwt_claims', type: 'json', nullable: true })
  jwtClaims!: Record<string, JwtClaimValue> | null;

  @Column({ type: 'json', nullable: true })
  environment!: EnvironmentDefinition | null;

  /** Seconds: the job's `timeout:` as written (null: none); the timeout itself is decided at pickup. */
  @Column({ name: 'job_timeout', type: 'integer', nullable: true })
  jobTimeout!: number | null;

  /** GitLab's `config_options`: what the runner payload is built from; null for a job created before it was kept. */
  @Column({ name: 'config_options', type: 'json', nullable: true })
  configOptions!: JobRunnerOptions | null;
}
