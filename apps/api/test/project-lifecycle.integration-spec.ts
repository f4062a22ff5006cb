import { spawn } from 'node:child_process';
import { decodeJwt } from 'jose';
import { DataSource } from 'typeorm';
import { commitCiConfig, requestJob } from './support/ci-fixtures';
import { client, resources } from './support/resources';
import { createRunner, runPipeline, takeJob, variableMap } from './support/runner-fixtures';
import { startListeningTestApp } from './support/listening-app';
import { TestApp, TestUser, createUser } from './support/test-app';

const CI = `
deploy:
  script: [deploy]
  id_tokens:
    ID_TOKEN:
      aud: https://cloud.example.com
`;

const ACCEPTED = { message: '202 Accepted' };
const transferFailure = (reason: string) => ({ message: `Failed to transfer project {:new_namespace=>["${reason}"]}` });

/** GitLab's `PUT /projects/:id` (path/name), `PUT /projects/:id/transfer` and `DELETE /projects/:id` (`lib/api/projects.rb`). */
describe('Project rename, transfer and delete', () => {
  let api: TestApp & { baseUrl: string };
  let db: DataSource;

  beforeAll(async () => {
    api = await startListeningTestApp();
    db = api.app.get(DataSource);
  });

  afterAll(() => api.close());

  /** An owner of a group, a project in it with a CI config on main, and a project runner. */
  async function ciProject(owner?: TestUser) {
    const who = owner ?? (await createUser(api, 'owner'));
    const group = await resources(api).group(who);
    const project = await resources(api).project(who, { namespace_id: group.id });
    await commitCiConfig(api, who, project.id, CI, 'main');
    const runner = await createRunner(api, who, { runner_type: 'project_type', project_id: project.id });
    return { owner: who, group, project, runner };
  }

  describe('rename', () => {
    it('lets an owner change path and name, not a maintainer (GitLab’s rename_project is an owner ability); the old path is gone', async () => {
      const { owner, group, project } = await ciProject();
      const maintainer = await createUser(api, 'maint');
      await resources(api).addMember(owner, `projects/${project.id}`, maintainer, 40);
      await client(api, maintainer).put(`/projects/${project.id}`, { path: 'renamed', name: 'Renamed' }).expect(403);
      const renamed = await client(api, owner).put(`/projects/${project.id}`, { path: 'renamed', name: 'Renamed' }).expect(200);
      expect(renamed.body).toMatchObject({ path: 'renamed', name: 'Renamed', path_with_namespace: `${group.full_path}/renamed` });
      expect(
        (
          await client(api, owner)
            .get(`/projects/${encodeURIComponent(`${group.full_path}/renamed`)}`)
            .expect(200)
        ).body.id,
      ).toBe(project.id);
      await client(api, owner)
        .get(`/projects/${encodeURIComponent(project.path_with_namespace)}`)
        .expect(404);
    });

    it('refuses a developer (403) and a path a sibling project or subgroup holds (400, GitLab’s message)', async () => {
      const { owner, group, project } = await ciProject();
      const developer = await createUser(api, 'dev');
      await resources(api).addMember(owner, `projects/${project.id}`, developer, 30);
      await client(api, developer).put(`/projects/${project.id}`, { path: 'nope' }).expect(403);
      const sibling = await resources(api).project(owner, { namespace_id: group.id });
      const subgroup = await resources(api).group(owner, { parent_id: group.id });
      for (const taken of [sibling.path, subgroup.path, sibling.path.toUpperCase()]) {
        const refused = await client(api, owner).put(`/projects/${project.id}`, { path: taken }).expect(400);
        expect(refused.body).toEqual({ message: { path: ['has already been taken'] } });
      }
      await client(api, owner).put(`/projects/${project.id}`, { path: 'bad/path' }).expect(400);
      expect((await client(api, owner).get(`/projects/${project.id}`)).body.path).toBe(project.path);
    });

    it('mints tokens for a job created before the rename with the new path (paths are read at pickup)', async () => {
      const { owner, group, project, runner } = await ciProject();
      await client(api, owner)
        .put(`/projects/${project.id}`, { ci_id_token_sub_claim_components: ['project_id', 'ref_type', 'ref'] })
        .expect(200);
      await runPipeline(api, owner, project.id);
      await client(api, owner).put(`/projects/${project.id}`, { path: 'after-rename' }).expect(200);
      const claims = decodeJwt(variableMap(await takeJob(api, runner.token)).get('ID_TOKEN')!.value);
      expect(claims).toMatchObject({
        project_path: `${group.full_path}/after-rename`,
        job_project_path: `${group.full_path}/after-rename`,
        ci_config_ref_uri: expect.stringMatching(new RegExp(`/${group.full_path}/after-rename//\\.gitlab-ci\\.yml@refs/heads/main$`)),
      });
    });
  });

  describe('transfer', () => {
    it('moves the project to a group given by id or full path; visibility is lowered to the target’s', async () => {
      const owner = await createUser(api, 'owner');
      const project = await resources(api).project(owner, { visibility: 'internal' });
      const target = await resources(api).group(owner);
      const moved = await client(api, owner).put(`/projects/${project.id}/transfer`, { namespace: target.id }).expect(200);
      expect(moved.body).toMatchObject({
        path_with_namespace: `${target.full_path}/${project.path}`,
        namespace: { id: target.id },
        visibility: 'private',
      });
      const back = await resources(api).group(owner);
      const byPath = await client(api, owner).put(`/projects/${project.id}/transfer`, { namespace: back.full_path }).expect(200);
      expect(byPath.body.namespace.id).toBe(back.id);
    });

    it('needs the project’s owner (403 for a maintainer) and may create projects in the target (GitLab’s messages)', async () => {
      const { owner, group, project } = await ciProject();
      const maintainer = await createUser(api, 'maint');
      await resources(api).addMember(owner, `projects/${project.id}`, maintainer, 40);
      const theirs = await resources(api).group(maintainer);
      await client(api, maintainer).put(`/projects/${project.id}/transfer`, { namespace: theirs.id }).expect(403);

      const stranger = await createUser(api, 'stranger');
      const foreign = await resources(api).group(stranger, { visibility: 'public' });
      const asDeveloper = await resources(api).group(stranger);
      await resources(api).addMember(stranger, `groups/${asDeveloper.id}`, owner, 30);
      for (const target of [foreign.id, asDeveloper.id]) {
        const refused = await client(api, owner).put(`/projects/${project.id}/transfer`, { namespace: target }).expect(400);
        expect(refused.body).toEqual(transferFailure("You don't have permission to transfer projects into that namespace."));
      }
      const same = await client(api, owner).put(`/projects/${project.id}/transfer`, { namespace: group.id }).expect(400);
      expect(same.body).toEqual(transferFailure('Project is already in this namespace.'));
      const hidden = await resources(api).group(stranger);
      for (const unknown of [hidden.id, 999999999, 'no/such/namespace']) {
        expect((await client(api, owner).put(`/projects/${project.id}/transfer`, { namespace: unknown }).expect(404)).body).toEqual({
          message: '404 Namespace Not Found',
        });
      }
      await client(api, owner).put(`/projects/${project.id}/transfer`, {}).expect(400);
    });

    it('refuses a target that holds a project with the same path or name', async () => {
      const { owner, project } = await ciProject();
      const target = await resources(api).group(owner);
      await resources(api).project(owner, { namespace_id: target.id, path: project.path });
      const refused = await client(api, owner).put(`/projects/${project.id}/transfer`, { namespace: target.id }).expect(400);
      expect(refused.body).toEqual(transferFailure('Project with same name or path in target namespace already exists'));
    });

    it('moves into the owner’s personal namespace, and tokens minted afterwards carry the new path', async () => {
      const { owner, project, runner } = await ciProject();
      await client(api, owner)
        .put(`/projects/${project.id}`, { ci_id_token_sub_claim_components: ['project_id', 'ref_type', 'ref'] })
        .expect(200);
      await runPipeline(api, owner, project.id);
      const personal = (await client(api, owner).get('/user').expect(200)).body.username as string;
      const moved = await client(api, owner).put(`/projects/${project.id}/transfer`, { namespace: personal }).expect(200);
      expect(moved.body.path_with_namespace).toBe(`${personal}/${project.path}`);
      const claims = decodeJwt(variableMap(await takeJob(api, runner.token)).get('ID_TOKEN')!.value);
      expect(claims).toMatchObject({ project_path: `${personal}/${project.path}`, namespace_path: personal });
      expect(claims.ci_config_ref_uri).toMatch(new RegExp(`/${personal}/${project.path}//`));
    });
  });

  describe('delete', () => {
    it('answers 202 Accepted to the owner, 403 to a maintainer; the project is gone at once', async () => {
      const { owner, project } = await ciProject();
      const maintainer = await createUser(api, 'maint');
      await resources(api).addMember(owner, `projects/${project.id}`, maintainer, 40);
      await client(api, maintainer).delete(`/projects/${project.id}`).expect(403);
      const deleted = await client(api, owner).delete(`/projects/${project.id}`).expect(202);
      expect(deleted.body).toEqual(ACCEPTED);
      await client(api, owner).get(`/projects/${project.id}`).expect(404);
      await client(api, owner).delete(`/projects/${project.id}`).expect(404);
    });

    it('drops the pending jobs of a deleted project: no runner gets them, no token is minted', async () => {
      const { owner, group, project, runner } = await ciProject();
      const groupRunner = await createRunner(api, owner, { runner_type: 'group_type', group_id: group.id });
      const pipeline = await runPipeline(api, owner, project.id);
      const [job] = await db.query('SELECT id FROM ci_builds WHERE pipeline_id = $1', [pipeline.id]);
      await client(api, owner).delete(`/projects/${project.id}`).expect(202);
      // The project's runner went with it; the group's runner finds nothing left to run.
      expect((await requestJob(api, runner.token)).status).toBe(403);
      expect((await requestJob(api, groupRunner.token)).status).toBe(204);
      expect(await db.query('SELECT 1 FROM ci_builds WHERE id = $1', [job.id])).toEqual([]);
      expect(await db.query('SELECT 1 FROM ci_id_token_issuances WHERE build_id = $1', [job.id])).toEqual([]);
    });

    // transfer_project is deprecated in python-gitlab (for transfer), which the issue names: its warning is the client's.
    it('works unmodified from python-gitlab: project.transfer_project and project.delete', async () => {
      const owner = await createUser(api, 'py');
      const target = await resources(api).group(owner);
      const project = await resources(api).project(owner);
      const script = `
import gitlab, json, sys
gl = gitlab.Gitlab(sys.argv[1], private_token=sys.argv[2])
project = gl.projects.get(int(sys.argv[3]))
project.transfer_project(sys.argv[4])
moved = gl.projects.get(int(sys.argv[3]))
project.delete()
try:
    gl.projects.get(int(sys.argv[3]))
    gone = False
except gitlab.exceptions.GitlabGetError as error:
    gone = error.response_code == 404
print(json.dumps({"moved": moved.path_with_namespace, "gone": gone}))
`;
      const result = await runPython(script, [String(project.id), target.full_path], owner.token);
      expect(result).toEqual({ moved: `${target.full_path}/${project.path}`, gone: true });
    });

    it('works unmodified from python-gitlab for groups too: group.transfer and group.delete', async () => {
      const owner = await createUser(api, 'py');
      const parent = await resources(api).group(owner);
      const group = await resources(api).group(owner);
      const script = `
import gitlab, json, sys
gl = gitlab.Gitlab(sys.argv[1], private_token=sys.argv[2])
group = gl.groups.get(int(sys.argv[3]))
group.transfer(int(sys.argv[4]))
moved = gl.groups.get(int(sys.argv[3])).full_path
group.transfer()
top = gl.groups.get(int(sys.argv[3])).full_path
group.delete()
try:
    gl.groups.get(int(sys.argv[3]))
    gone = False
except gitlab.exceptions.GitlabGetError as error:
    gone = error.response_code == 404
print(json.dumps({"moved": moved, "top": top, "gone": gone}))
`;
      const result = await runPython(script, [String(group.id), String(parent.id)], owner.token);
      expect(result).toEqual({ moved: `${parent.full_path}/${group.path}`, top: group.path, gone: true });
    });
  });

  /** Runs python-gitlab (the system interpreter's) against this server, listening on a free port. */
  async function runPython(script: string, args: string[], token: string): Promise<unknown> {
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('/usr/bin/python3', ['-W', 'ignore::DeprecationWarning', '-c', script, api.baseUrl, token, ...args], {
        timeout: 60_000,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    return JSON.parse(run.stdout);
  }
});
