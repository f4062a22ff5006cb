import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** GitLab's user states that Lanyard uses; a blocked user's tokens are refused and their pending jobs dropped. */
export type UserState = 'active' | 'blocked';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn() // bigint in SQL; declared plain so TypeORM keeps it a number (see database/pg-types.ts)
  id!: number;

  @Column()
  username!: string;

  @Column()
  name!: string;

  @Column()
  email!: string;

  @Column()
  admin!: boolean;

  @Column({ type: 'varchar' })
  state!: UserState;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
