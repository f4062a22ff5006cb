import type { EnvironmentDefinition, IdTokenDefinition, JwtClaimValue, SecretDefinition } from '@lanyard/ci-config';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What a job was defined with in `.gitlab-ci.yml`, kept apart from the hot `ci_builds` rows as GitLab does. */
@Entity('ci_builds_metadata')
export class BuildMetadata {
  @PrimaryColumn({ name: 'build_id', type: 'bigint' })
  buildId!: number;

  @Column({ type: 'jsonb' })
  script!: string[];

  @Column({ type: 'jsonb' })
  variables!: Record<string, string>;

  /** In the order written: the first one is Vault's default. */
  @Column({ name: 'id_tokens', type: 'jsonb' })
  idTokens!: Record<string, IdTokenDefinition>;

  @Column({ type: 'jsonb' })
  secrets!: Record<string, SecretDefinition>;

  @Column({ name: 'jwt_claims', type: 'jsonb', nullable: true })
  jwtClaims!: Record<string, JwtClaimValue> | null;

  @Column({ type: 'jsonb', nullable: true })
  environment!: EnvironmentDefinition | null;
}
