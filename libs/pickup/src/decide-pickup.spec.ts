import { SERVER_FAILURE_REASONS } from '@lanyard/pipelines';
import type { CiVariableRow } from '@lanyard/pipelines';
import { FORK_MR, SNAPSHOT } from './__fixtures__/snapshots';
import { type PickupDecision, type PickupInput, decidePickup } from './decide-pickup';
import { SERVER_FAILURES, failureReasonOf } from './failure-reasons';
import type { JobSnapshot } from './job-snapshot';

let jtis = 0;
const INPUT: PickupInput = {
  now: new Date('2026-11-29T10:05:00Z'),
  serverUrl: 'https://ci.example.com',
  issuer: 'https://ci.example.com',
  ciConfigPath: '.gitlab-ci.yml',
  jobToken: 'glcbt-job-token-secret',
  runnerToken: 'glrt-runner-token-secret',
  newJti: () => `00000000-0000-4000-8000-${String(++jtis).padStart(12, '0')}`,
};

/** The snapshot's job with `id_tokens` and whatever else a case changes. */
function job(changes: Omit<Partial<JobSnapshot>, 'metadata'> & { metadata?: Partial<JobSnapshot['metadata']> } = {}): JobSnapshot {
  const { metadata, ...rest } = changes;
  return {
    ...SNAPSHOT,
    ...rest,
    metadata: { ...SNAPSHOT.metadata, idTokens: { TOKEN: { aud: 'https://vault.example.com' } }, ...metadata },
  };
}

const variable = (key: string, value: string, extra: Partial<CiVariableRow> = {}): CiVariableRow => ({
  key,
  value,
  variableType: 'env_var',
  masked: false,
  protected: false,
  raw: false,
  environmentScope: '*',
  projectId: 10,
  namespaceId: null,
  ...extra,
});

function run(decision: PickupDecision) {
  if (decision.kind !== 'run') throw new Error(`expected a run, got ${decision.reason}: ${decision.detail}`);
  return decision;
}

function drop(decision: PickupDecision) {
  if (decision.kind !== 'drop') throw new Error('expected a drop');
  return { reason: decision.reason, detail: decision.detail };
}

describe(decidePickup.name, () => {
  describe('a job that runs', () => {
    it('plans one token per id_tokens entry with the whole identity, and times it by the project timeout', () => {
      const decided = run(decidePickup(job(), INPUT));
      expect(decided.timeoutSeconds).toBe(3600);
      expect(decided.plan.tokens).toHaveLength(1);
      const [{ variable: name, claims }] = decided.plan.tokens;
      expect(name).toBe('TOKEN');
      expect(claims).toMatchObject({
        project_id: '10',
        project_path: 'acme/platform/app',
        ref: 'main',
        ref_protected: 'true',
        user_access_level: 'maintainer',
        aud: 'https://vault.example.com',
        iss: 'https://ci.example.com',
        iat: INPUT.now.getTime() / 1000,
        exp: INPUT.now.getTime() / 1000 + 3600,
        sub: 'project_path:acme/platform/app:ref_type:branch:ref:main',
      });
    });

    it('signs for the configured issuer, which may differ from the server URL (issue 18 item 18)', () => {
      const decided = run(decidePickup(job(), { ...INPUT, issuer: 'https://oidc.example.org/ci' }));
      expect(decided.plan.tokens[0].claims).toMatchObject({ iss: 'https://oidc.example.org/ci' });
      expect(decided.scopedVariables).toContainEqual(expect.objectContaining({ key: 'CI_SERVER_URL', value: 'https://ci.example.com' }));
    });

    it('caps the timeout by the runner and plans no token for a job that needs none', () => {
      const decided = run(decidePickup({ ...SNAPSHOT, runner: { ...SNAPSHOT.runner!, maximumTimeout: 600 } }, INPUT));
      expect(decided.timeoutSeconds).toBe(600);
      expect(decided.plan.tokens).toEqual([]);
    });

    it('gives protected variables to a protected ref only, and picks the best environment scope', () => {
      const ciVariables = [
        variable('SECRET', 's', { protected: true }),
        variable('TARGET', 'any'),
        variable('TARGET', 'prod', { environmentScope: 'production' }),
      ];
      const environment = {
        definition: { name: 'production', action: 'start' as const },
        tier: 'production' as const,
        deployRules: null,
        deployerMemberships: [],
      };
      const values = (snapshot: JobSnapshot) =>
        Object.fromEntries(run(decidePickup(snapshot, INPUT)).scopedVariables.map((each) => [each.key, each.value]));
      expect(values(job({ ciVariables, environment }))).toMatchObject({ SECRET: 's', TARGET: 'prod' });
      const unprotected = values(job({ ciVariables, build: { ...SNAPSHOT.build, protected: false } }));
      expect(unprotected).toMatchObject({ TARGET: 'any' });
      expect(unprotected).not.toHaveProperty('SECRET');
    });

    it('expands aud against the job variables and keeps masked values and both tokens out of every claim', () => {
      const snapshot = job({
        metadata: { idTokens: { TOKEN: { aud: 'https://$HOST/v1' } } },
        ciVariables: [variable('HOST', 'vault.internal'), variable('PASSWORD', 'hunter2-hunter2', { masked: true })],
      });
      const decided = run(decidePickup(snapshot, INPUT));
      expect(decided.plan.tokens[0].claims).toMatchObject({ aud: 'https://vault.internal/v1' });
      expect(decided.secretValues).toEqual(expect.arrayContaining(['hunter2-hunter2', INPUT.runnerToken]));
      expect(JSON.stringify(decided.plan.tokens)).not.toMatch(/hunter2|glrt-|glcbt-/);
    });

    it('adds the legacy CI_JOB_JWT and CI_JOB_JWT_V2 when opt_in_jwt is off', () => {
      const snapshot = job({ ciSettings: { ...SNAPSHOT.ciSettings, opt_in_jwt: false } });
      expect(run(decidePickup(snapshot, INPUT)).plan.tokens.map((token) => token.variable)).toEqual([
        'CI_JOB_JWT',
        'CI_JOB_JWT_V2',
        'TOKEN',
      ]);
    });

    it('builds the payload spec from the kept options: cache suffix by the ref, dependencies with the running job token, CI_NODE_*', () => {
      const options = {
        beforeScript: ['setup'],
        afterScript: ['cleanup'],
        image: null,
        services: [],
        artifacts: null,
        cache: [
          {
            key: 'deps',
            paths: ['vendor'],
            untracked: null,
            policy: 'pull',
            when: 'on_success' as const,
            unprotect: false,
            fallbackKeys: [],
          },
        ],
        cacheKeys: ['deps'],
        tags: [],
        needs: null,
        dependencies: null,
        coverage: null,
        interruptible: false,
        parallel: { index: 2, total: 3 },
      };
      const snapshot = job({
        metadata: { options },
        build: { ...SNAPSHOT.build, protected: false },
        dependencyCandidates: [
          { id: 41, name: 'build', stageIdx: 1, artifactsFile: null },
          { id: 42, name: 'same stage', stageIdx: 3, artifactsFile: null },
        ],
      });
      const decided = run(decidePickup(snapshot, INPUT));
      expect(decided.spec.steps.map((step) => [step.name, step.script, step.timeout, step.when])).toEqual([
        ['script', ['setup', 'make deploy'], 3600, 'on_success'],
        ['after_script', ['cleanup'], 3600, 'always'],
      ]);
      expect(decided.spec.cache.map((cache) => cache.key)).toEqual(['deps-non_protected']);
      expect(decided.spec.dependencies).toEqual([{ id: 41, name: 'build', token: INPUT.jobToken }]);
      const variables = Object.fromEntries(decided.scopedVariables.map((each) => [each.key, each.value]));
      expect(variables).toMatchObject({ CI_NODE_INDEX: '2', CI_NODE_TOTAL: '3' });
    });

    it("runs a fork's code in the parent with the fork as project and the parent as job project", () => {
      const snapshot: JobSnapshot = { ...FORK_MR, metadata: { ...FORK_MR.metadata, idTokens: { TOKEN: { aud: 'a' } } } };
      const [{ claims }] = run(decidePickup(snapshot, INPUT)).plan.tokens;
      expect(claims).toMatchObject({
        project_id: '20',
        job_project_id: '10',
        ref: 'feature',
        ref_protected: 'false',
        user_access_level: 'developer',
      });
    });
  });

  describe('a job that is dropped', () => {
    const deployRules = [{ type: 'role' as const, accessLevel: 40 as const }];
    const protectedProduction = {
      definition: { name: 'production', action: 'start' as const },
      tier: 'production' as const,
      deployRules,
      deployerMemberships: [{ sourceType: 'Project' as const, sourceId: 10, accessLevel: 40 as const }],
    };

    it.each<[string, JobSnapshot, string]>([
      ['its fork was deleted', { ...FORK_MR, mergeRequest: { ...FORK_MR.mergeRequest!, source: null } }, 'project_deleted'],
      ['its user is blocked', job({ user: { ...SNAPSHOT.user!, state: 'blocked' } }), 'user_blocked'],
      [
        'its user may no longer run its protected ref',
        job({ tokenFacts: { memberships: [], directGroupPaths: [] } }),
        'protected_ref_access_revoked',
      ],
      [
        'its user may not deploy to the protected environment',
        job({ environment: { ...protectedProduction, deployerMemberships: [] } }),
        'protected_environment_failure',
      ],
      [
        "a fork's code deploys to a protected environment",
        { ...FORK_MR, environment: protectedProduction },
        'protected_environment_failure',
      ],
      [
        'it has secrets and no VAULT_SERVER_URL',
        job({
          metadata: {
            secrets: { DB: { vault: { engine: { name: 'kv-v2', path: 'kv' }, path: 'db', field: 'pw' }, token: null, file: false } },
          },
        }),
        'secrets_provider_not_found',
      ],
      ['its aud expands to nothing', job({ metadata: { idTokens: { TOKEN: { aud: '$UNSET' } } } }), 'id_token_audience_empty'],
      [
        'it sits on a reclaimed path',
        job({ reclaimed: { blockJwtForReclaimedPaths: true, jobProjectPath: true } }),
        'id_token_burned_project_path',
      ],
      [
        'a group locked a claim it sets',
        job({
          metadata: { jwtClaims: { team: 'x' } },
          claimTree: { ...SNAPSHOT.claimTree, claims: new Map([['group:1', [{ key: 'team', value: 'platform', mutable: false }]]]) },
        }),
        'id_token_claims_invalid',
      ],
      [
        'it sets a name another group owns',
        job({
          metadata: { jwtClaims: { team: 'x' } },
          claimTree: { ...SNAPSHOT.claimTree, names: new Map([['team', { name: 'team', owner: { id: 99, fullPath: 'other' } }]]) },
        }),
        'id_token_claim_not_owned',
      ],
      [
        'its sub would pass 255 characters',
        job({ pipeline: { ...SNAPSHOT.pipeline, ref: 'r'.repeat(250) }, build: { ...SNAPSHOT.build, protected: false } }),
        'id_token_sub_too_long',
      ],
    ])('when %s', (_title, snapshot, reason) => {
      expect(drop(decidePickup(snapshot, INPUT)).reason).toBe(reason);
    });

    it('lets the job through a reclaimed path when the admin turned the check off, and deploys a maintainer', () => {
      expect(decidePickup(job({ reclaimed: { blockJwtForReclaimedPaths: false, jobProjectPath: true } }), INPUT).kind).toBe('run');
      expect(decidePickup(job({ environment: protectedProduction }), INPUT).kind).toBe('run');
    });

    it('never holds up a job that mints nothing for a token problem', () => {
      expect(decidePickup({ ...SNAPSHOT, reclaimed: { blockJwtForReclaimedPaths: true, jobProjectPath: true } }, INPUT).kind).toBe('run');
    });

    it('says why, without any secret', () => {
      expect(drop(decidePickup(job({ user: { ...SNAPSHOT.user!, state: 'banned' } }), INPUT))).toEqual({
        reason: 'user_blocked',
        detail: "the job's user is blocked",
      });
    });
  });
});

describe('SERVER_FAILURES', () => {
  it('covers every server failure reason, and each library refusal leads to one reason', () => {
    expect(Object.keys(SERVER_FAILURES).sort()).toEqual([...SERVER_FAILURE_REASONS].sort());
    const codes = Object.values(SERVER_FAILURES).flatMap((failure) => failure.codes);
    expect(new Set(codes).size).toBe(codes.length);
    expect(failureReasonOf('ERR_AUD_EMPTY')).toBe('id_token_audience_empty');
    expect(failureReasonOf('ERR_PATH_RECLAIMED')).toBe('id_token_burned_project_path');
  });
});
