import { MIGRATIONS } from '@lanyard/migrations';
import { DataSource, QueryRunner } from 'typeorm';

const PipelineIids1765420000000 = MIGRATIONS.find((Migration) => Migration.name === 'PipelineIids1765420000000')!;

/** Issue 18, item 6: existing pipelines are numbered per project, and the counters go on from there. */
describe(PipelineIids1765420000000.name, () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, extra: { max: 1 } });
    await dataSource.initialize();
  });

  afterAll(() => dataSource.destroy());

  /** Runs `body` in a scratch schema holding every migration before this one, inside a rolled-back transaction. */
  async function inScratchSchema(body: (runner: QueryRunner) => Promise<void>): Promise<void> {
    const runner = dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query('CREATE SCHEMA pipeline_iid_check');
      await runner.query('SET LOCAL search_path TO pipeline_iid_check');
      for (const Migration of MIGRATIONS.slice(0, MIGRATIONS.indexOf(PipelineIids1765420000000))) await new Migration().up(runner);
      await body(runner);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  it('numbers existing pipelines per project in creation order, and each project’s counter starts after them', async () => {
    await inScratchSchema(async (runner) => {
      await runner.query(`INSERT INTO namespaces (name, path, type) VALUES ('g', 'g', 'Group')`);
      const project = async (path: string): Promise<number> =>
        (
          await runner.query(`INSERT INTO projects (name, path, namespace_id) VALUES ($1, $1, (SELECT id FROM namespaces)) RETURNING id`, [
            path,
          ])
        )[0].id;
      // A project without pipelines gets its counter row with its first pipeline.
      const [a, b] = [await project('a'), await project('b'), await project('c')];
      for (const projectId of [a, b, a, a, b]) {
        await runner.query(
          `INSERT INTO ci_pipelines (project_id, ref, tag, sha, source, status) VALUES ($1, 'main', false, repeat('a', 40), 'push', 'success')`,
          [projectId],
        );
      }

      await new PipelineIids1765420000000().up(runner);
      const numbered = await runner.query('SELECT project_id, iid FROM ci_pipelines ORDER BY id');
      expect(numbered).toEqual([
        { project_id: a, iid: 1 },
        { project_id: b, iid: 1 },
        { project_id: a, iid: 2 },
        { project_id: a, iid: 3 },
        { project_id: b, iid: 2 },
      ]);
      const counters = await runner.query(`SELECT project_id, usage, last_value FROM internal_ids ORDER BY project_id`);
      expect(counters).toEqual([
        { project_id: a, usage: 'ci_pipelines', last_value: 3 },
        { project_id: b, usage: 'ci_pipelines', last_value: 2 },
      ]);

      await runner.query('SAVEPOINT duplicate');
      await expect(
        runner.query(
          `INSERT INTO ci_pipelines (project_id, iid, ref, tag, sha, source, status) VALUES ($1, 2, 'main', false, repeat('a', 40), 'push', 'success')`,
          [a],
        ),
      ).rejects.toThrow(/ci_pipelines_project_iid/);
      await runner.query('ROLLBACK TO SAVEPOINT duplicate');

      await new PipelineIids1765420000000().down(runner);
      const columns = await runner.query(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = 'pipeline_iid_check' AND table_name = 'ci_pipelines' AND column_name = 'iid'`,
      );
      expect(columns).toEqual([]);
    });
  });
});
