import type { ClaimNameRegistration, ClaimNameRegistry } from './claim-names';
import {
  CLAIMS_DECIDED_AT_PICKUP,
  hiddenVariablePlaceholder,
  previewAuditTokens,
  previewClaims,
  previewWarnings,
  secretLikeness,
} from './token-preview';

describe(previewClaims.name, () => {
  it('leaves out exactly the claims decided at pickup, keeping the order of the rest', () => {
    expect(CLAIMS_DECIDED_AT_PICKUP).toEqual(['pipeline_id', 'job_id', 'runner_id', 'runner_environment', 'jti', 'iat', 'nbf', 'exp']);
    const claims = {
      project_path: 'a/b',
      pipeline_id: '7',
      job_id: '9',
      runner_id: 3,
      jti: 'x',
      iss: 'i',
      iat: 1,
      nbf: 0,
      exp: 9,
      sub: 's',
      aud: 'a',
      team: 't',
    };
    expect(Object.entries(previewClaims(claims))).toEqual([
      ['project_path', 'a/b'],
      ['iss', 'i'],
      ['sub', 's'],
      ['aud', 'a'],
      ['team', 't'],
    ]);
  });

  it('leaves out the sub of the legacy v1 token (the one without aud), which is the job id', () => {
    expect(previewClaims({ iss: 'h', sub: 'job_9' })).toEqual({ iss: 'h' });
  });
});

describe(previewAuditTokens.name, () => {
  it("keeps each token's variable, aud as declared (variables unexpanded) and sub; the legacy tokens as they are built", () => {
    const claims = (aud: unknown) => ({ project_path: 'a/b', sub: 'project_path:a/b', aud, team: 'x' });
    const tokens = [
      { variable: 'CI_JOB_JWT', claims: { iss: 'ci.example', sub: 'job_7' } },
      { variable: 'CI_JOB_JWT_V2', claims: claims('https://ci.example') },
      { variable: 'AWS', claims: claims(['https://[hidden: HOST]/x', 'group-value']) },
      { variable: 'VAULT', claims: claims('https://vault.example') },
    ];
    const declared = { AWS: { aud: ['https://$HOST/x', '$GROUP_AUD'] }, VAULT: { aud: 'https://vault.example' } };
    expect(previewAuditTokens(tokens, declared)).toEqual([
      { variable: 'CI_JOB_JWT', aud: null, sub: null },
      { variable: 'CI_JOB_JWT_V2', aud: 'https://ci.example', sub: 'project_path:a/b' },
      { variable: 'AWS', aud: ['https://$HOST/x', '$GROUP_AUD'], sub: 'project_path:a/b' },
      { variable: 'VAULT', aud: 'https://vault.example', sub: 'project_path:a/b' },
    ]);
  });
});

describe(secretLikeness.name, () => {
  it.each<[string, string, string[], string | null]>([
    ['a plain word', 'platform', [], null],
    ['a GitLab personal access token', 'token glpat-abcdefghij1234567890', [], 'a GitLab token (glpat-, glcbt-, glrt-, gldt-, glptt-, …)'],
    ['a GitLab job token', 'glcbt-64_abcdefghijklmnop', [], 'a GitLab token (glpat-, glcbt-, glrt-, gldt-, glptt-, …)'],
    ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE', [], 'an AWS access key id'],
    ['a GitHub token', `ghp_${'a1B2'.repeat(9)}`, [], 'a GitHub token'],
    ['a private key', '-----BEGIN RSA PRIVATE KEY-----', [], 'a private key'],
    ['a JWT', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig', [], 'a JWT'],
    ['a masked variable value', 'prefix-s3cr3t-value', ['s3cr3t-value'], 'the value of a masked variable or a job or runner token'],
    ['a very short masked value (not a useful signal)', 'abc', ['ab'], null],
    ['a long random string', 'q8Zr4Xk1Vb7Nw2Lm9Pc3Hd6Tf0Ys5Ju8Ea', [], 'a long random string (high entropy)'],
    ['a git sha (hex: too little entropy per character)', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', [], null],
    ['a UUID', '0b9c2f1e-8d4a-4c6b-9e3f-7a1d2c5b8e4f', [], null],
    ['a long ordinary name', 'platform_team_billing_service_production_eu_west', [], null],
  ])('%s', (_title, value, secrets, expected) => {
    expect(secretLikeness(value, secrets)).toBe(expected);
  });
});

describe(previewWarnings.name, () => {
  /** `team` and the tag key `k` belong to a group: no warning about who may set them. */
  const owned = (name: string): [string, ClaimNameRegistration] => [name, { name, owner: { id: 1, fullPath: 'acme' } }];
  const claimNames: ClaimNameRegistry = new Map([owned('team'), owned('k')]);
  const base = { customClaimKeys: [], secretValues: [], hiddenVariables: [], claimNames };
  const claims = (sub: string, extra: object = {}) => ({ sub, aud: 'sts.amazonaws.com', ...extra });

  it.each<[string, Parameters<typeof previewWarnings>[0], RegExp[]]>([
    [
      'the default sub',
      { ...base, claims: claims('project_path:a/b:ref_type:branch:ref:main'), subComponents: ['project_path', 'ref_type', 'ref'] },
      [],
    ],
    [
      'a sub over 127 characters',
      {
        ...base,
        claims: claims(`project_path:${'x'.repeat(120)}:ref_type:branch:ref:main`),
        subComponents: ['project_path', 'ref_type', 'ref'],
      },
      [/^sub is 158 characters, over 127: Google Cloud/],
    ],
    [
      'ref without ref_type',
      { ...base, claims: claims('project_path:a/b:ref:main'), subComponents: ['project_path', 'ref'] },
      [/^sub has ref but not ref_type/],
    ],
    [
      'no ref_type at all',
      { ...base, claims: claims('project_path:a/b'), subComponents: ['project_path'] },
      [/^sub has no ref_type \(nor ref\)/],
    ],
    ['the legacy v1 token (sub is the job id)', { ...base, claims: claims('job_1'), subComponents: null }, []],
    [
      'a custom claim holding a token, deep in an object',
      {
        ...base,
        claims: claims('project_path:a/b:ref_type:branch:ref:main', {
          team: 'x',
          'https://aws.amazon.com/tags': { principal_tags: { k: ['AKIAIOSFODNN7EXAMPLE'] } },
        }),
        customClaimKeys: ['team', 'https://aws.amazon.com/tags'],
        subComponents: ['project_path', 'ref_type', 'ref'],
      },
      [/^https:\/\/aws\.amazon\.com\/tags looks like it holds a secret \(an AWS access key id\)/],
    ],
    [
      'an aud equal to a masked value',
      {
        ...base,
        claims: claims('project_path:a/b:ref_type:branch:ref:main', { aud: 'masked-value-1' }),
        secretValues: ['masked-value-1'],
        subComponents: ['project_path', 'ref_type', 'ref'],
      },
      [/^aud looks like it holds a secret \(the value of a masked variable/],
    ],
    [
      'custom claim names any project can set: open, unregistered, or a session tag key',
      {
        ...base,
        claimNames: new Map<string, ClaimNameRegistration>([owned('team'), ['tier', { name: 'tier', owner: null }]]),
        claims: claims('project_path:a/b:ref_type:branch:ref:main', {
          team: 'x',
          tier: 'gold',
          service: 'b',
          'https://aws.amazon.com/tags': { principal_tags: { Team: ['x'], Env: ['p'] } },
        }),
        customClaimKeys: ['team', 'tier', 'service', 'https://aws.amazon.com/tags'],
        subComponents: ['project_path', 'ref_type', 'ref'],
      },
      [
        /^custom claim tier is open to every project: /,
        /^custom claim service is not a registered claim name, so any project can set it/,
        /^custom claim env is not a registered/,
      ],
    ],
    [
      'an aud shown with hidden variables, each named once, in the order given, and only those it uses',
      {
        ...base,
        claims: claims('project_path:a/b:ref_type:branch:ref:main', { aud: ['https://[hidden: HOST]/[hidden: A]', '[hidden: HOST]'] }),
        hiddenVariables: ['A', 'UNUSED', 'HOST'],
        subComponents: ['project_path', 'ref_type', 'ref'],
      },
      [/^aud uses A, a CI\/CD variable you may not read: shown as \[hidden: A\]; the token carries its value/, /^aud uses HOST, /],
    ],
    [
      'nothing for a hidden variable named like a prefix of the one the aud uses',
      {
        ...base,
        claims: claims('project_path:a/b:ref_type:branch:ref:main', { aud: '[hidden: AUD_2]' }),
        hiddenVariables: ['AUD'],
        subComponents: ['project_path', 'ref_type', 'ref'],
      },
      [],
    ],
  ])('warns about %s', (_title, input, expected) => {
    const warnings = previewWarnings(input);
    expect(warnings).toHaveLength(expected.length);
    expected.forEach((pattern, index) => expect(warnings[index]).toMatch(pattern));
  });

  it('names a hidden variable without any of its value: the placeholder is its name alone', () => {
    expect(hiddenVariablePlaceholder('AUD_SECRET')).toBe('[hidden: AUD_SECRET]');
  });

  it('never echoes the secret it found', () => {
    const warnings = previewWarnings({
      ...base,
      claims: claims('project_path:a:ref_type:branch:ref:m', { team: 'glpat-abcdefghij1234567890' }),
      customClaimKeys: ['team'],
      subComponents: ['project_path', 'ref_type', 'ref'],
    });
    expect(warnings.join()).not.toContain('glpat-abcdefghij');
  });
});
