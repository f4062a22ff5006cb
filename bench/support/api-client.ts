/** A response read to the end: the bench times whole requests, body included. */
export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/** HTTP to the application on loopback with Node's fetch (keep-alive), as a user or as a runner. */
export class ApiClient {
  constructor(readonly baseUrl: string) {
    const host = new URL(baseUrl).hostname;
    if (host !== '127.0.0.1') throw new Error(`the bench only talks to 127.0.0.1, not ${host}`);
  }

  async send(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = {};
    if (options.token) headers['PRIVATE-TOKEN'] = options.token;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  }

  /** A request that must answer `expected`; anything else stops the bench with the answer. */
  async expect<T>(expected: number, method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<T> {
    const response = await this.send(method, path, options);
    if (response.status !== expected) {
      throw new Error(`${method} ${path}: expected ${expected}, got ${response.status} ${JSON.stringify(response.body).slice(0, 500)}`);
    }
    return response.body as T;
  }
}

export interface BenchUser {
  readonly id: number;
  readonly username: string;
  readonly token: string;
}

/** The resources a scenario needs, made through the API exactly as a client would. */
export class Fixtures {
  private sequence = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly rootToken: string,
  ) {}

  async user(prefix: string): Promise<BenchUser> {
    const username = this.uniqueName(prefix);
    const user = await this.api.expect<{ id: number }>(201, 'POST', '/api/v4/users', {
      token: this.rootToken,
      body: { username, name: username, email: `${username}@bench.example.com` },
    });
    const pat = await this.api.expect<{ token: string }>(201, 'POST', `/api/v4/users/${user.id}/personal_access_tokens`, {
      token: this.rootToken,
      body: { name: 'bench', scopes: ['api'] },
    });
    return { id: user.id, username, token: pat.token };
  }

  /** A group owned by `owner`. */
  async group(owner: BenchUser, prefix: string): Promise<number> {
    const path = this.uniqueName(prefix);
    return (await this.api.expect<{ id: number }>(201, 'POST', '/api/v4/groups', { token: owner.token, body: { name: path, path } })).id;
  }

  /** A project owned by `owner` (in `namespaceId`, else their own namespace) with `.gitlab-ci.yml` committed on `main`. */
  async project(owner: BenchUser, prefix: string, ciYaml: string, namespaceId?: number): Promise<number> {
    const projectId = await this.emptyProject(owner, prefix, namespaceId);
    await this.api.expect(201, 'POST', `/api/v4/projects/${projectId}/repository/files/.gitlab-ci.yml`, {
      token: owner.token,
      // [skip ci]: the scenarios start their own pipelines; a push pipeline would put unaccounted jobs in the queue.
      body: { branch: 'main', content: ciYaml, commit_message: 'CI config [skip ci]' },
    });
    return projectId;
  }

  /** A project owned by `owner` without any commit (its repository is empty, its default branch unset). */
  async emptyProject(owner: BenchUser, prefix: string, namespaceId?: number): Promise<number> {
    const path = this.uniqueName(prefix);
    const project = await this.api.expect<{ id: number }>(201, 'POST', '/api/v4/projects', {
      token: owner.token,
      body: { name: path, path, namespace_id: namespaceId },
    });
    return project.id;
  }

  /** A project owned by `owner` with `files` committed on `main`, one commit each, `.gitlab-ci.yml` last. */
  async projectWithFiles(owner: BenchUser, prefix: string, files: Record<string, string>): Promise<number> {
    const { '.gitlab-ci.yml': root, ...others } = files;
    const projectId = await this.project(owner, prefix, 'placeholder:\n  script: echo\n');
    for (const [path, content] of Object.entries(others)) {
      await this.api.expect(201, 'POST', `/api/v4/projects/${projectId}/repository/files/${encodeURIComponent(path)}`, {
        token: owner.token,
        body: { branch: 'main', content, commit_message: `${path} [skip ci]` },
      });
    }
    await this.api.expect(200, 'PUT', `/api/v4/projects/${projectId}/repository/files/.gitlab-ci.yml`, {
      token: owner.token,
      body: { branch: 'main', content: root, commit_message: 'CI config [skip ci]' },
    });
    return projectId;
  }

  /** `count` distinct runners of one project or group; returns their tokens. */
  async runners(owner: BenchUser, scope: { projectId: number } | { groupId: number }, count: number): Promise<string[]> {
    const body =
      'projectId' in scope
        ? { runner_type: 'project_type', project_id: scope.projectId }
        : { runner_type: 'group_type', group_id: scope.groupId };
    const tokens: string[] = [];
    for (let index = 0; index < count; index++) {
      const runner = await this.api.expect<{ token: string }>(201, 'POST', '/api/v4/user/runners', {
        token: owner.token,
        body: { ...body, description: `bench-runner-${index + 1}` },
      });
      tokens.push(runner.token);
    }
    return tokens;
  }

  async pipeline(owner: BenchUser, projectId: number): Promise<number> {
    const pipeline = await this.api.expect<{ id: number }>(201, 'POST', `/api/v4/projects/${projectId}/pipeline`, {
      token: owner.token,
      body: { ref: 'main' },
    });
    return pipeline.id;
  }

  private uniqueName(prefix: string): string {
    this.sequence += 1;
    const slug = prefix
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
    return `${slug || 'bench'}-${this.sequence}`;
  }
}
