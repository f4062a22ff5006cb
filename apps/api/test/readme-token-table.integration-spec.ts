import { readFileSync } from 'node:fs';
import { commitCiConfig } from './support/ci-fixtures';
import { README_PATH } from './support/readme-policies';
import { client, resources } from './support/resources';
import { TestApp, TestUser, createUser, startTestApp } from './support/test-app';

const REPORTER = 20;

/** The fenced block after a marker comment, or the table after one: the README's text, read as written. */
function readmePart(markdown: string, marker: string): string {
  const start = markdown.indexOf(`<!-- ${marker} -->\n`);
  if (start < 0) throw new Error(`README: no <!-- ${marker} --> marker`);
  const rest = markdown.slice(start + `<!-- ${marker} -->\n`.length);
  if (rest.startsWith('```yaml\n')) return rest.slice(8, rest.indexOf('\n```\n') + 1);
  return rest.slice(0, rest.indexOf('\n\n') + 1);
}

interface JobExists {
  job: string;
  exists: boolean;
  tokens?: { variable: string }[];
}

/**
 * Issue 16, item 5: the README's table of which jobs get tokens in a fork's merge request, a tag, an unprotected
 * branch and protected `main` is computed here through the token preview, from the README's own file, and compared
 * to the README's text: the README cannot drift from what Lanyard does.
 */
describe('README: which jobs get tokens, per pipeline', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  it('is the table the token preview computes', async () => {
    const markdown = readFileSync(README_PATH, 'utf8');
    const config = readmePart(markdown, 'token-table-config');
    const owner = await createUser(api, 'platform');
    const contributor = await createUser(api, 'contributor');
    const make = resources(api);
    const project = await make.project(owner);
    await commitCiConfig(api, owner, project.id, config, 'main');
    const as = client(api, owner);
    await as.post(`/projects/${project.id}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
    await as.post(`/projects/${project.id}/repository/tags`, { tag_name: 'v1.0.0', ref: 'main' }).expect(201);
    // An outside contributor's fork (with the same file) and her merge request into the parent's main.
    await make.addMember(owner, `projects/${project.id}`, contributor, REPORTER);
    const fork = (await client(api, contributor).post(`/projects/${project.id}/fork`).expect(201)).body;
    await client(api, contributor).post(`/projects/${fork.id}/repository/branches`, { branch: 'fix', ref: 'main' }).expect(201);
    const mr = await client(api, contributor)
      .post(`/projects/${fork.id}/merge_requests`, {
        source_branch: 'fix',
        target_branch: 'main',
        target_project_id: project.id,
        title: 'Fix',
      })
      .expect(201);

    const columns: [string, object][] = [
      ['Fork merge request', { merge_request_iid: mr.body.iid }],
      ['Tag `v1.0.0`', { ref: 'v1.0.0', pipeline_source: 'tag' }],
      ['Unprotected branch `feature`', { ref: 'feature' }],
      ['Protected `main`', { ref: 'main' }],
    ];
    const answers: JobExists[][] = [];
    for (const [, body] of columns) answers.push(await preview(owner, project.id, body));
    const jobs = answers[0].map((answer) => answer.job);
    const cell = (answer: JobExists) => (answer.exists && answer.tokens?.some((token) => token.variable === 'CLOUD_TOKEN') ? '✓' : '—');
    const rows = jobs.map((job, index) => `| ${job} | ${answers.map((column) => cell(column[index])).join(' | ')} |`);
    const table = [`| Job | ${columns.map(([title]) => title).join(' | ')} |`, `| --- |${' --- |'.repeat(columns.length)}`, ...rows].join(
      '\n',
    );
    expect(readmePart(markdown, 'token-table')).toBe(`${table}\n`);
  });

  async function preview(who: TestUser, projectId: number, body: object): Promise<JobExists[]> {
    const answer = await client(api, who).post(`/projects/${projectId}/ci/id_token_preview`, body);
    if (answer.status !== 200) throw new Error(`${JSON.stringify(body)}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.jobs;
  }
});
