import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17: a push indexes only its tips' trees; any other commit's tree is written to repository_files the first time
 * a reader needs it (see repository/git/tree-index.ts). Every commit stored before this column has its whole tree.
 */
export class LazyTreeIndex1765450000000 implements MigrationInterface {
  name = 'LazyTreeIndex1765450000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE repository_commits ADD COLUMN tree_indexed boolean NOT NULL DEFAULT true`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE repository_commits DROP COLUMN tree_indexed`);
  }
}
