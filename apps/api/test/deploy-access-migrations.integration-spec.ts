import { MIGRATIONS } from '@lanyard/migrations';
import { DataSource, QueryRunner } from 'typeorm';

const migration = (name: string) => MIGRATIONS.find((Migration) => Migration.name === name)!;
const PipelineVariablesMinimumOverrideRole1764200000000 = migration('PipelineVariablesMinimumOverrideRole1764200000000');
const ProtectedEnvironmentDeployAccessLevels1764200001000 = migration('ProtectedEnvironmentDeployAccessLevels1764200001000');

/** The data the two migrations of issue 7 carry over: existing projects' role, and each protection's level. */
describe('pipeline-variables and deploy-access migrations', () => {
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, extra: { max: 1 } });
    await dataSource.initialize();
  });

  afterAll(() => dataSource.destroy());

  /** Runs `body` in a scratch schema holding every migration before these two, inside a rolled-back transaction. */
  async function inScratchSchema(body: (runner: QueryRunner) => Promise<void>): Promise<void> {
    const runner = dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query('CREATE SCHEMA deploy_access_check');
      await runner.query('SET LOCAL search_path TO deploy_access_check');
      const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(PipelineVariablesMinimumOverrideRole1764200000000));
      for (const Migration of before) await new Migration().up(runner);
      await body(runner);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  }

  const insertProject = async (runner: QueryRunner, path: string): Promise<number> =>
    (
      await runner.query(
        `INSERT INTO projects (name, path, namespace_id) VALUES ($1, $1, (SELECT id FROM namespaces LIMIT 1)) RETURNING id`,
        [path],
      )
    )[0].id;

  it('gives existing projects maintainer and new ones no_one_allowed', async () => {
    await inScratchSchema(async (runner) => {
      await runner.query(`INSERT INTO namespaces (name, path, type) VALUES ('g', 'g', 'Group')`);
      const existing = await insertProject(runner, 'old');
      await new PipelineVariablesMinimumOverrideRole1764200000000().up(runner);
      const created = await insertProject(runner, 'new');
      const roles = await runner.query('SELECT id, ci_pipeline_variables_minimum_override_role AS role FROM projects ORDER BY id');
      expect(roles).toEqual([
        { id: existing, role: 'maintainer' },
        { id: created, role: 'no_one_allowed' },
      ]);
      await new PipelineVariablesMinimumOverrideRole1764200000000().down(runner);
    });
  });

  it('keeps each protection’s level as its one role entry, and folds entries back into the strictest level on down', async () => {
    await inScratchSchema(async (runner) => {
      await runner.query(`INSERT INTO namespaces (name, path, type) VALUES ('g', 'g', 'Group')`);
      const user: number = (
        await runner.query(`INSERT INTO users (username, name, email) VALUES ('u', 'u', 'u@example.com') RETURNING id`)
      )[0].id;
      const project = await insertProject(runner, 'p');
      await runner.query(
        `INSERT INTO protected_environments (project_id, name, deploy_access_level) VALUES ($1, 'production', 40), ($1, 'review', 30), ($1, 'vault', 60)`,
        [project],
      );
      await new PipelineVariablesMinimumOverrideRole1764200000000().up(runner);
      const migration = new ProtectedEnvironmentDeployAccessLevels1764200001000();
      await migration.up(runner);
      const entries = await runner.query(
        `SELECT e.name, a.access_level, a.user_id, a.group_id, a.group_inheritance_type
           FROM protected_environment_deploy_access_levels a JOIN protected_environments e ON e.id = a.protected_environment_id ORDER BY e.name`,
      );
      expect(entries).toEqual([
        { name: 'production', access_level: 40, user_id: null, group_id: null, group_inheritance_type: 0 },
        { name: 'review', access_level: 30, user_id: null, group_id: null, group_inheritance_type: 0 },
        { name: 'vault', access_level: 60, user_id: null, group_id: null, group_inheritance_type: 0 },
      ]);
      // An entry must be exactly one of a role, a user or a group.
      await runner.query('SAVEPOINT one_of_three');
      await expect(
        runner.query(
          `INSERT INTO protected_environment_deploy_access_levels (protected_environment_id, access_level, user_id) SELECT id, 40, $1 FROM protected_environments LIMIT 1`,
          [user],
        ),
      ).rejects.toThrow(/check constraint/);
      await runner.query('ROLLBACK TO SAVEPOINT one_of_three');

      const canary: number = (
        await runner.query(`INSERT INTO protected_environments (project_id, name) VALUES ($1, 'canary') RETURNING id`, [project])
      )[0].id;
      await runner.query(`INSERT INTO protected_environment_deploy_access_levels (protected_environment_id, user_id) VALUES ($1, $2)`, [
        canary,
        user,
      ]);
      const review = await runner.query(`SELECT id FROM protected_environments WHERE name = 'review'`);
      await runner.query(
        `INSERT INTO protected_environment_deploy_access_levels (protected_environment_id, access_level) VALUES ($1, 20)`,
        [review[0].id],
      );

      await migration.down(runner);
      expect(await runner.query('SELECT name, deploy_access_level FROM protected_environments ORDER BY name')).toEqual([
        { name: 'canary', deploy_access_level: 60 },
        { name: 'production', deploy_access_level: 40 },
        { name: 'review', deploy_access_level: 30 },
        { name: 'vault', deploy_access_level: 60 },
      ]);
    });
  });
});
