import { request as httpRequest } from 'node:http';
import { branchHead, fileUrl } from './support/repository-fixtures';
import { pushableProject, receivePackCommand } from './support/git-client';
import { startListeningTestApp } from './support/listening-app';
import { TestApp } from './support/test-app';

/**
 * Issue 17: a push's upload is read before anything of the project is locked or any database connection is held.
 * Before, `git-receive-pack` opened its transaction (a pooled connection, the project row locked) and then read the
 * body: a developer sending a push slowly held the project's lock for as long as they liked (no other push, no new
 * branch), and a handful of slow pushes held every pooled connection (no request of any project answered).
 */
describe('git push upload', () => {
  let api: TestApp & { baseUrl: string };

  beforeAll(async () => {
    api = await startListeningTestApp({ LANYARD_MAX_PUSH_SIZE: '64k' });
  });

  afterAll(() => api.close());

  /** A receive-pack request whose body is sent in part and then held open, as a slow client would; `end` finishes it. */
  function slowPush(path: string, username: string, token: string, head: string) {
    const pkt = receivePackCommand(head, '1'.repeat(40), 'refs/heads/main');
    const request = httpRequest(`${api.baseUrl}/${path}.git/git-receive-pack`, {
      method: 'POST',
      auth: `${username}:${token}`,
      headers: { 'Content-Type': 'application/x-git-receive-pack-request' },
    });
    const answered = new Promise<string>((resolve) => {
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      });
      request.on('error', () => resolve('connection error'));
    });
    request.write(pkt);
    request.write('PACK');
    return { end: () => (request.end('not really a pack'), answered) };
  }

  it('twelve pushes still uploading hold no lock and no pooled connection: a new branch and a project list go on', async () => {
    const { fixture, head, path } = await pushableProject(api);
    const pushes = Array.from({ length: 12 }, () => slowPush(path, fixture.developer.username, fixture.developer.token, head));
    await new Promise((resolve) => setTimeout(resolve, 300));

    // A commit to a new branch locks the project row, as a push's transaction does.
    const commit = api.http
      .post(fileUrl(fixture.projectId, 'b.txt'))
      .set('PRIVATE-TOKEN', fixture.maintainer.token)
      .send({ branch: 'topic', start_branch: 'main', content: 'b', commit_message: 'Add b.txt' })
      .then((response) => response.status);
    const outcome = await Promise.race([commit, new Promise((resolve) => setTimeout(() => resolve('blocked'), 5_000))]);
    expect(outcome).toBe(201);
    const list = api.http
      .get('/api/v4/projects?membership=true')
      .set('PRIVATE-TOKEN', fixture.developer.token)
      .then((r) => r.status);
    expect(await Promise.race([list, new Promise((resolve) => setTimeout(() => resolve('blocked'), 5_000))])).toBe(200);

    const answers = await Promise.all(pushes.map((push) => push.end()));
    for (const answer of answers) expect(answer).toMatch(/unpack (?!ok)/);
    expect(await branchHead(api, fixture.maintainer, fixture.projectId, 'main')).toBe(head);
  });

  it('refuses a request over the pack limit plus room for its commands with 413, without storing it; nothing moves', async () => {
    const { fixture, head, path } = await pushableProject(api);
    const pkt = receivePackCommand(head, '1'.repeat(40), 'refs/heads/main');
    const response = await api.http
      .post(`/${path}.git/git-receive-pack`)
      .auth(fixture.developer.username, fixture.developer.token)
      .set('Content-Type', 'application/x-git-receive-pack-request')
      .send(Buffer.concat([pkt, Buffer.from('PACK'), Buffer.alloc(5 * 1024 * 1024)]));
    expect(response.status).toBe(413);
    expect(response.text).toBe(`The push is over the limit of ${64 * 1024 + 4 * 1024 * 1024} bytes.`);
    expect(await branchHead(api, fixture.maintainer, fixture.projectId, 'main')).toBe(head);
  });
});
