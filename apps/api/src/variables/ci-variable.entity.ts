import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const VARIABLE_TYPES = ['env_var', 'file'] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];

/** A CI/CD variable of exactly one project or one group (`namespace_id`). */
@Entity('ci_variables')
export class CiVariable {
  @PrimaryGeneratedColumn() // bigint in SQL; declared plain so TypeORM keeps it a number (see database/pg-types.ts)
  id!: number;

  @Column({ name: 'project_id', type: 'bigint', nullable: true })
  projectId!: number | null;

  @Column({ name: 'namespace_id', type: 'bigint', nullable: true })
  namespaceId!: number | null;

  @Column({ type: 'varchar' })
  key!: string;

  @Column({ type: 'text' })
  value!: string;

  @Column({ name: 'variable_type', type: 'varchar' })
  variableType!: VariableType;

  @Column({ type: 'boolean' })
  masked!: boolean;

  @Column({ type: 'boolean' })
  protected!: boolean;

  @Column({ type: 'boolean' })
  raw!: boolean;

  @Column({ name: 'environment_scope', type: 'varchar' })
  environmentScope!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
