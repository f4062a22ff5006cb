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

  /** A project owned by `owner` with `.gitlab-ci.yml` committed on `main`. */
  async project(owner: BenchUser, prefix: string, ciYaml: string): Promise<number> {
    const path = this.uniqueName(prefix);
    const project = await this.api.expect<{ id: number }>(201, 'POST', '/api/v4/projects', { token: owner.token, body: { name: path, path } });
    await this.api.expect(201, 'POST', `/api/v4/projects/${project.id}/repository/files/.gitlab-ci.yml`, {
      token: owner.token,
      body: { branch: 'main', content: ciYaml, commit_message: 'CI config' },
    });
    return project.id;
  }

  /** `count` distinct project runners; returns their tokens. */
  async runners(owner: BenchUser, projectId: number, count: number): Promise<string[]> {
    const tokens: string[] = [];
    for (let index = 0; index < count; index++) {
      const runner = await this.api.expect<{ token: string }>(201, 'POST', '/api/v4/user/runners', {
        token: owner.token,
        body: { runner_type: 'project_type', project_id: projectId, description: `bench-runner-${index + 1}` },
      });
      tokens.push(runner.token);
    }
    return tokens;
  }

  async pipeline(owner: BenchUser, projectId: number): Promise<number> {
    const pipeline = await this.api.expect<{ id: number }>(201, 'POST', `/api/v4/projects/${projectId}/pipeline`, { token: owner.token, body: { ref: 'main' } });
    return pipeline.id;
  }

  /** Every job of a pipeline, id and status, through the paginated jobs list. */
  async pipelineJobs(owner: BenchUser, projectId: number, pipelineId: number): Promise<{ id: number; status: string }[]> {
    const jobs: { id: number; status: string }[] = [];
    for (let page = 1; page <= 100; page++) {
      const response = await this.api.send('GET', `/api/v4/projects/${projectId}/pipelines/${pipelineId}/jobs?per_page=100&page=${page}`, { token: owner.token });
      if (response.status !== 200) throw new Error(`listing jobs: ${response.status} ${JSON.stringify(response.body)}`);
      jobs.push(...(response.body as { id: number; status: string }[]));
      if (!response.headers.get('x-next-page')) return jobs;
    }
    throw new Error('listing jobs: more than 100 pages');
  }

  /** X-Total of the project's ID token issuance audit. */
  async issuanceCount(owner: BenchUser, projectId: number): Promise<number> {
    const response = await this.api.send('GET', `/api/v4/projects/${projectId}/ci/id_token_issuances?per_page=1`, { token: owner.token });
    if (response.status !== 200) throw new Error(`listing issuances: ${response.status} ${JSON.stringify(response.body)}`);
    return Number(response.headers.get('x-total'));
  }

  private uniqueName(prefix: string): string {
    this.sequence += 1;
    const slug = prefix.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
    return `${slug || 'bench'}-${this.sequence}`;
  }
}
