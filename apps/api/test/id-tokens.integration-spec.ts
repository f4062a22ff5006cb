import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { createCiFixture, requestJob } from './support/ci-fixtures';
import { startListeningTestApp } from './support/listening-app';
import { client, resources } from './support/resources';
import { TestApp, createUser } from './support/test-app';

const SYSTEM_PYTHON = '/usr/bin/python3';

const TWO_TOKENS = `
variables:
  VAULT_HOST: vault.example.com
deploy:
  script: [deploy]
  timeout: 45 minutes
  id_tokens:
    AWS_TOKEN:
      aud: sts.amazonaws.com
    VAULT_ID_TOKEN:
      aud: [https://$VAULT_HOST, other-audience]
`;

type Variable = { key: string; value: string; public: boolean; masked: boolean };

describe('ID tokens end to end', () => {
  let api: TestApp & { baseUrl: string };
  let jwks: ReturnType<typeof createRemoteJWKSet>;

  beforeAll(async () => {
    api = await startListeningTestApp();
    jwks = createRemoteJWKSet(new URL(`${api.baseUrl}/oauth/discovery/keys`));
  });

  afterAll(() => api.close());

  async function pickUp(yaml: string, setup?: (projectId: number, maintainer: Awaited<ReturnType<typeof createUser>>) => Promise<void>) {
    const owner = await createUser(api, 'owner');
    const group = await resources(api).group(owner);
    const fixture = await createCiFixture(api, yaml, { groupId: group.id, owner });
    if (setup) await setup(fixture.projectId, fixture.maintainer);
    const pipeline = await client(api, fixture.maintainer).post(`/projects/${fixture.projectId}/pipeline`, { ref: 'main' }).expect(201);
    const job = await requestJob(api, fixture.runnerToken);
    return { fixture, group, owner, pipeline: pipeline.body, job };
  }

  it('mints one token per id_tokens entry, first in the variables, verifiable through discovery and the JWKS', async () => {
    const { fixture, group, owner, pipeline, job } = await pickUp(TWO_TOKENS);
    expect(job.status).toBe(201);
    const variables = job.body.variables as Variable[];
    expect(variables.slice(0, 2).map(({ key, public: isPublic, masked }) => ({ key, public: isPublic, masked }))).toEqual([
      { key: 'AWS_TOKEN', public: false, masked: true },
      { key: 'VAULT_ID_TOKEN', public: false, masked: true },
    ]);
    expect(variables.some((v) => v.key.startsWith('CI_JOB_JWT'))).toBe(false);

    const [aws, vault] = variables.slice(0, 2).map((v) => v.value);
    const { payload, protectedHeader } = await jwtVerify(aws, jwks, {
      issuer: api.baseUrl,
      audience: 'sts.amazonaws.com',
      algorithms: ['RS256'],
    });
    const keys = (await api.http.get('/oauth/discovery/keys').expect(200)).body.keys as { kid: string }[];
    expect(protectedHeader).toEqual({ alg: 'RS256', kid: expect.any(String), typ: 'JWT' });
    expect(keys.map((key) => key.kid)).toContain(protectedHeader.kid);

    const projectPath = `${group.full_path}/${(await client(api, owner).get(`/projects/${fixture.projectId}`)).body.path}`;
    expect(payload).toEqual({
      namespace_id: String(group.id),
      namespace_path: group.full_path,
      project_id: String(fixture.projectId),
      project_path: projectPath,
      user_id: String(owner.id),
      user_login: owner.username,
      user_email: `${owner.username}@example.com`,
      user_access_level: 'owner',
      job_namespace_id: String(group.id),
      job_namespace_path: group.full_path,
      job_project_id: String(fixture.projectId),
      job_project_path: projectPath,
      pipeline_id: String(pipeline.id),
      pipeline_source: 'api',
      job_id: String(job.body.id),
      ref: 'main',
      ref_type: 'branch',
      ref_path: 'refs/heads/main',
      ref_protected: 'true', // main is protected since its first commit
      groups_direct: [group.full_path],
      runner_id: expect.any(Number),
      runner_environment: 'self-hosted',
      sha: pipeline.sha,
      project_visibility: 'private',
      ci_config_ref_uri: `127.0.0.1:${new URL(api.baseUrl).port}/${projectPath}//.gitlab-ci.yml@refs/heads/main`,
      ci_config_sha: pipeline.sha,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      iss: api.baseUrl,
      iat: expect.any(Number),
      nbf: expect.any(Number),
      exp: expect.any(Number),
      sub: `project_path:${projectPath}:ref_type:branch:ref:main`,
      aud: 'sts.amazonaws.com',
    });
    expect(payload.nbf).toBe(payload.iat! - 5);
    expect(payload.exp! - payload.iat!).toBe(45 * 60);

    const second = await jwtVerify(vault, jwks, { issuer: api.baseUrl, audience: 'https://vault.example.com', algorithms: ['RS256'] });
    expect(second.payload.aud).toEqual(['https://vault.example.com', 'other-audience']);
    expect(second.payload.jti).not.toBe(payload.jti);
  });

  it('keeps the order the tokens were written in, whatever their names', async () => {
    const { job } = await pickUp(
      'deploy:\n  script: [x]\n  id_tokens:\n    ZULU_LONG_NAME:\n      aud: a\n    ALPHA:\n      aud: b\n    M:\n      aud: c\n',
    );
    expect((job.body.variables as Variable[]).slice(0, 3).map((v) => v.key)).toEqual(['ZULU_LONG_NAME', 'ALPHA', 'M']);
  });

  it('verifies with an independent verifier (PyJWT with PyJWKClient)', async () => {
    const { job } = await pickUp(TWO_TOKENS);
    const [aws, vault] = (job.body.variables as Variable[]).slice(0, 2).map((v) => v.value);
    const results = await runPyJwt(api.baseUrl, [
      ['sts.amazonaws.com', aws],
      ['other-audience', vault],
      ['wrong-audience', aws],
      ['sts.amazonaws.com', tamper(aws)],
    ]);
    expect(results.map((r) => (r.ok ? 'ok' : r.error))).toEqual(['ok', 'ok', 'InvalidAudienceError', 'InvalidSignatureError']);
    expect(results[0].claims.aud).toBe('sts.amazonaws.com');
    expect(results[1].claims.aud).toEqual(['https://vault.example.com', 'other-audience']);
    expect(results[0].header).toMatchObject({ alg: 'RS256', typ: 'JWT' });
  });

  it('rejects tampered, expired, wrong-audience, wrong-issuer and alg=none tokens', async () => {
    const { job } = await pickUp(TWO_TOKENS);
    const aws = (job.body.variables as Variable[])[0].value;
    const options = { issuer: api.baseUrl, audience: 'sts.amazonaws.com', algorithms: ['RS256'] };
    await expect(jwtVerify(tamper(aws), jwks, options)).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
    await expect(jwtVerify(aws, jwks, { ...options, audience: 'someone-else' })).rejects.toBeInstanceOf(errors.JWTClaimValidationFailed);
    await expect(jwtVerify(aws, jwks, { ...options, issuer: `${api.baseUrl}/` })).rejects.toBeInstanceOf(errors.JWTClaimValidationFailed);
    const { payload } = await jwtVerify(aws, jwks, options);
    await expect(jwtVerify(aws, jwks, { ...options, currentDate: new Date((payload.exp! + 1) * 1000) })).rejects.toBeInstanceOf(
      errors.JWTExpired,
    );
    await expect(jwtVerify(aws, jwks, { ...options, currentDate: new Date((payload.nbf! - 1) * 1000) })).rejects.toBeInstanceOf(
      errors.JWTClaimValidationFailed,
    );
    const [, body] = aws.split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${body}.`;
    await expect(jwtVerify(unsigned, jwks, options)).rejects.toThrow();
  });

  it('records every issuance for maintainers, without the token', async () => {
    const { fixture, job } = await pickUp(TWO_TOKENS);
    const variables = job.body.variables as Variable[];
    const issuances = await client(api, fixture.maintainer).get(`/projects/${fixture.projectId}/ci/id_token_issuances`).expect(200);
    const kid = decodeProtectedHeader(variables[0].value).kid;
    expect(
      issuances.body.map((row: Record<string, unknown>) => ({ ...row, jti: typeof row.jti, iat: typeof row.iat, exp: typeof row.exp })),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          job_id: job.body.id,
          variable: 'AWS_TOKEN',
          aud: 'sts.amazonaws.com',
          kid,
          jti: 'string',
          iat: 'number',
          exp: 'number',
        }),
        expect.objectContaining({ job_id: job.body.id, variable: 'VAULT_ID_TOKEN', aud: ['https://vault.example.com', 'other-audience'] }),
      ]),
    );
    expect(JSON.stringify(issuances.body)).not.toContain(variables[0].value.split('.')[2]);
    const developer = await createUser(api, 'dev');
    await resources(api).addMember(fixture.maintainer, `projects/${fixture.projectId}`, developer, 30);
    await client(api, developer).get(`/projects/${fixture.projectId}/ci/id_token_issuances`).expect(403);
  });

  it('adds CI_JOB_JWT, CI_JOB_JWT_V1 and CI_JOB_JWT_V2 only when opt_in_jwt is off', async () => {
    const { job } = await pickUp('legacy:\n  script: [x]\n', async (projectId, maintainer) => {
      await client(api, maintainer).put(`/projects/${projectId}`, { ci_opt_in_jwt: false }).expect(200);
    });
    const variables = job.body.variables as Variable[];
    expect(variables.slice(0, 3).map((v) => [v.key, v.masked, v.public])).toEqual([
      ['CI_JOB_JWT', true, false],
      ['CI_JOB_JWT_V1', true, false],
      ['CI_JOB_JWT_V2', true, false],
    ]);
    expect(variables[0].value).toBe(variables[1].value);
    const v1 = await jwtVerify(variables[0].value, jwks, { algorithms: ['RS256'] });
    expect(v1.payload.iss).toBe('127.0.0.1');
    expect(v1.payload.sub).toBe(`job_${job.body.id}`);
    expect(v1.payload).not.toHaveProperty('aud');
    const v2 = await jwtVerify(variables[2].value, jwks, { issuer: api.baseUrl, audience: api.baseUrl, algorithms: ['RS256'] });
    expect(v2.payload.sub).toMatch(/^project_path:.*:ref_type:branch:ref:main$/);
  });

  it('fails the job, naming the reason, when an audience expands to nothing', async () => {
    const { fixture, job } = await pickUp('deploy:\n  script: [x]\n  id_tokens:\n    TOKEN:\n      aud: $UNSET_AUDIENCE\n');
    expect(job.status).toBe(204);
    const jobs = await client(api, fixture.maintainer).get(`/projects/${fixture.projectId}/jobs`).expect(200);
    expect(jobs.body[0]).toMatchObject({ status: 'failed', failure_reason: 'id_token_audience_empty' });
    const issuances = await client(api, fixture.maintainer).get(`/projects/${fixture.projectId}/ci/id_token_issuances`).expect(200);
    expect(issuances.body).toEqual([]);
  });

  it('fails the job rather than cut a sub longer than 255 characters', async () => {
    const fixture = await createCiFixture(api, 'deploy:\n  script: [x]\n  id_tokens:\n    TOKEN:\n      aud: a\n');
    const as = client(api, fixture.maintainer);
    const branch = `feature/${'x'.repeat(230)}`;
    await as.post(`/projects/${fixture.projectId}/repository/branches`, { branch, ref: 'main' }).expect(201);
    await as.post(`/projects/${fixture.projectId}/pipeline`, { ref: branch }).expect(201);
    await requestJob(api, fixture.runnerToken).expect(204);
    const [job] = (await as.get(`/projects/${fixture.projectId}/jobs`).expect(200)).body;
    expect(job).toMatchObject({ status: 'failed', failure_reason: 'id_token_sub_too_long' });
  });

  it('escapes % inside sub values, so a ref named like an escape cannot pass for another (git refuses : itself)', async () => {
    const fixture = await createCiFixture(api, 'deploy:\n  script: [x]\n  id_tokens:\n    TOKEN:\n      aud: a\n');
    const as = client(api, fixture.maintainer);
    await as.post(`/projects/${fixture.projectId}/repository/branches`, { branch: 'x:ref_type:tag', ref: 'main' }).expect(400);
    await as.post(`/projects/${fixture.projectId}/repository/branches`, { branch: 'x%3Aref_type%3Atag', ref: 'main' }).expect(201);
    await as.post(`/projects/${fixture.projectId}/pipeline`, { ref: 'x%3Aref_type%3Atag' }).expect(201);
    const job = await requestJob(api, fixture.runnerToken).expect(201);
    const { payload } = await jwtVerify((job.body.variables as Variable[])[0].value, jwks, { issuer: api.baseUrl, audience: 'a' });
    expect(payload.sub).toMatch(/:ref_type:branch:ref:x%253Aref_type%253Atag$/);
    expect(payload.ref).toBe('x%3Aref_type%3Atag');
  });

  it('never writes a JWT into the server log', () => {
    const log = readFileSync(process.env.LANYARD_TEST_LOG!, 'utf8');
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ/);
  });
});

function tamper(token: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  claims.ref_protected = claims.ref_protected === 'true' ? 'false' : 'true';
  return [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
}

async function runPyJwt(
  issuer: string,
  checks: [string, string][],
): Promise<{ ok: boolean; error?: string; claims: Record<string, unknown>; header: Record<string, unknown> }[]> {
  const child = spawn(SYSTEM_PYTHON, [join(__dirname, 'compat', 'verify_with_pyjwt.py'), issuer], { timeout: 30_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  child.stdin.end(checks.map(([aud, token]) => `${aud}\t${token}`).join('\n') + '\n');
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect({ status, stderr }).toEqual({ status: 0, stderr: '' });
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}
