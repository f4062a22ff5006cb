import { MIGRATIONS } from '@lanyard/migrations';
import { DataSource } from 'typeorm';

/** Every migration's `down` undoes its `up`: run them all in a scratch schema inside a rolled-back transaction. */
describe('migrations', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, extra: { max: 1 } });
    await dataSource.initialize();
  });

  afterAll(() => dataSource.destroy());

  it('applies every up in order and every down in reverse, leaving nothing behind', async () => {
    const runner = dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query('CREATE SCHEMA migration_check');
      await runner.query('SET LOCAL search_path TO migration_check');
      const tables = async () =>
        (await runner.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'migration_check' ORDER BY 1`)).map(
          (row: { table_name: string }) => row.table_name,
        );
      const migrations = MIGRATIONS.map((Migration) => new Migration());
      for (const migration of migrations) await migration.up(runner);
      expect(await tables()).toEqual(
        expect.arrayContaining(['users', 'namespaces', 'projects', 'members', 'ci_variables', 'repository_files']),
      );
      for (const migration of [...migrations].reverse()) await migration.down(runner);
      expect(await tables()).toEqual([]);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
