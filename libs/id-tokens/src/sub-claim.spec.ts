import { IdTokenError, type IdTokenErrorCode } from './errors';
import {
  DEFAULT_SUB_CLAIM_COMPONENTS,
  SUB_CLAIM_COMPONENTS,
  SUB_CLAIM_LEADING_COMPONENTS,
  composeSubClaim,
  isSubClaimComponent,
  validateSubClaimComponents,
  type SubClaimComponent,
  type SubClaimValues,
} from './sub-claim';

const FIRST = 'project_path, project_id, job_project_path or job_project_id must be the first element of the sub claim';

describe('SUB_CLAIM_COMPONENTS', () => {
  it('is exactly the closed list of DESIGN §5: adding one is a deliberate act', () => {
    expect([...SUB_CLAIM_COMPONENTS].sort()).toEqual([
      'deployment_tier',
      'environment',
      'environment_protected',
      'job_project_id',
      'job_project_path',
      'namespace_id',
      'namespace_path',
      'pipeline_source',
      'project_id',
      'project_path',
      'ref',
      'ref_protected',
      'ref_type',
    ]);
    expect(SUB_CLAIM_LEADING_COMPONENTS).toEqual(['project_path', 'project_id', 'job_project_path', 'job_project_id']);
  });

  it('defaults to GitLab’s project_path, ref_type, ref', () => {
    expect(DEFAULT_SUB_CLAIM_COMPONENTS).toEqual(['project_path', 'ref_type', 'ref']);
    expect(validateSubClaimComponents(DEFAULT_SUB_CLAIM_COMPONENTS)).toEqual([]);
  });

  it.each([
    ['ref', true],
    ['Ref', false],
    ['ref:x', false],
    ['__proto__', false],
    [1, false],
    [null, false],
  ])('isSubClaimComponent(%p) is %p', (value, expected) => expect(isSubClaimComponent(value)).toBe(expected));
});

describe(validateSubClaimComponents.name, () => {
  it.each<[string, unknown, string[]]>([
    ['accepts a valid list', ['project_path', 'ref_type', 'ref'], []],
    ['accepts project_id first (the stable choice)', ['project_id', 'ref_protected'], []],
    ['accepts job_project_path first with ref_protected (the project the job runs in)', ['job_project_path', 'ref', 'ref_protected'], []],
    ['accepts job_project_id first with project_id', ['job_project_id', 'project_id', 'environment'], []],
    ['accepts job_project_id first with pipeline_source', ['job_project_id', 'pipeline_source'], []],
    ['accepts job_project_path first with project_path', ['job_project_path', 'project_path'], []],
    [
      'refuses job_project_path first with nothing telling a fork apart (gitlab#548165)',
      ['job_project_path', 'ref_type', 'ref'],
      [
        'job_project_path must be followed by one of project_path, project_id, ref_protected or pipeline_source: a merge-request ' +
          "pipeline from a fork runs in this project, and without one of them a fork branch named main gets the protected main's sub (gitlab#548165)",
      ],
    ],
    ['accepts every component once, led by a project', [...SUB_CLAIM_COMPONENTS], []],
    ['accepts a namespace after the project', ['project_id', 'namespace_id', 'namespace_path'], []],
    // Issue 7 item 13: a namespace first is one sub for every project of the group.
    ['rejects namespace_path first', ['namespace_path', 'ref'], [FIRST]],
    ['rejects namespace_id first', ['namespace_id', 'project_id'], [FIRST]],
    // GitLab ProjectCiCdSetting spec + §2.2: both messages for an empty list, in this order (B1).
    ['rejects an empty list', [], ['is too short (minimum is 1 character)', FIRST]],
    ['rejects a list that does not start with a project component (B2)', ['ref'], [FIRST]],
    [
      'rejects an unknown component (B3)',
      ['project_path', 'not_existing_claim'],
      ['not_existing_claim is not an allowed sub claim component'],
    ],
    [
      'collects the first-element and unknown errors as GitLab’s API does (39)',
      ['ref', 'invalid-component'],
      [FIRST, 'invalid-component is not an allowed sub claim component'],
    ],
    ['rejects a repeated component once (B4)', ['project_path', 'ref', 'ref', 'ref'], ['duplicate component ref']],
    ['rejects case variants (B6)', ['project_path', 'Ref'], ['Ref is not an allowed sub claim component']],
    ['rejects a component smuggling a value (B6)', ['project_path', 'ref:x'], ['ref:x is not an allowed sub claim component']],
    ['rejects look-alike names (B6)', ['project_path', 'réf'], ['réf is not an allowed sub claim component']],
    [
      'reports an unknown first element twice over, then duplicates',
      ['foo', 'foo', 'ref'],
      [FIRST, 'foo is not an allowed sub claim component', 'foo is not an allowed sub claim component', 'duplicate component foo'],
    ],
    ['rejects a comma-separated string (B5)', 'project_path,ref', ['must be an array of strings']],
    ['rejects null entries (B5)', [null], ['must be an array of strings']],
    ['rejects nested arrays (B5)', [['ref']], ['must be an array of strings']],
    ['rejects numbers (B5)', ['project_path', 1], ['must be an array of strings']],
    ['rejects null', null, ['must be an array of strings']],
    ['rejects an object', { 0: 'project_path' }, ['must be an array of strings']],
  ])('%s', (_title, value, messages) => {
    expect(validateSubClaimComponents(value)).toEqual(messages);
  });
});

const CLAIMS: SubClaimValues = {
  project_path: 'my-group/my-project',
  project_id: '20',
  namespace_path: 'my-group',
  namespace_id: '72',
  job_project_path: 'my-group/my-project',
  job_project_id: '20',
  ref_type: 'branch',
  ref: 'feature-branch-1',
  ref_protected: 'false',
  pipeline_source: 'push',
};

describe(composeSubClaim.name, () => {
  it.each<[string, readonly SubClaimComponent[], SubClaimValues, string]>([
    ['the default (22)', DEFAULT_SUB_CLAIM_COMPONENTS, CLAIMS, 'project_path:my-group/my-project:ref_type:branch:ref:feature-branch-1'],
    ['project_path alone (23)', ['project_path'], CLAIMS, 'project_path:my-group/my-project'],
    ['project_path, ref_type (24)', ['project_path', 'ref_type'], CLAIMS, 'project_path:my-group/my-project:ref_type:branch'],
    ['project_path, ref (25)', ['project_path', 'ref'], CLAIMS, 'project_path:my-group/my-project:ref:feature-branch-1'],
    ['the configured order', ['project_id', 'ref', 'ref_type'], CLAIMS, 'project_id:20:ref:feature-branch-1:ref_type:branch'],
    ['ref_protected as its claim value', ['project_id', 'ref_protected'], CLAIMS, 'project_id:20:ref_protected:false'],
    [
      'pipeline_source and job project',
      ['job_project_id', 'namespace_id', 'pipeline_source'],
      CLAIMS,
      'job_project_id:20:namespace_id:72:pipeline_source:push',
    ],
    [
      'environment components left out without an environment',
      ['project_path', 'environment', 'environment_protected', 'deployment_tier', 'ref'],
      CLAIMS,
      'project_path:my-group/my-project:ref:feature-branch-1',
    ],
    [
      'environment components with one',
      ['project_path', 'environment', 'environment_protected', 'deployment_tier'],
      { ...CLAIMS, environment: 'production', environment_protected: 'true', deployment_tier: 'production' },
      'project_path:my-group/my-project:environment:production:environment_protected:true:deployment_tier:production',
    ],
    ['a null claim left out', ['project_path', 'ref'], { ...CLAIMS, ref: null }, 'project_path:my-group/my-project'],
    ['an empty value kept', ['project_path', 'ref'], { ...CLAIMS, ref: '' }, 'project_path:my-group/my-project:ref:'],
    // B7: a ':' in a value can never read as a component boundary.
    [
      'a branch forging ref_type (B7)',
      ['project_path', 'ref', 'ref_type'],
      { ...CLAIMS, ref: 'v1:ref_type:tag' },
      'project_path:my-group/my-project:ref:v1%3Aref_type%3Atag:ref_type:branch',
    ],
    [
      'an environment forging ref_protected (B7)',
      ['project_path', 'environment', 'ref_protected'],
      { ...CLAIMS, environment: 'production:ref_protected:true' },
      'project_path:my-group/my-project:environment:production%3Aref_protected%3Atrue:ref_protected:false',
    ],
    [
      'production:eastus (B7, GitHub’s example)',
      ['project_id', 'environment'],
      { ...CLAIMS, environment: 'production:eastus' },
      'project_id:20:environment:production%3Aeastus',
    ],
    ['a literal %3A, escaped apart from a real colon', ['project_id', 'ref'], { ...CLAIMS, ref: 'a%3Ab' }, 'project_id:20:ref:a%253Ab'],
    ['a lone %', ['project_id', 'ref'], { ...CLAIMS, ref: '100%' }, 'project_id:20:ref:100%25'],
  ])('composes %s', (_title, components, claims, sub) => {
    expect(composeSubClaim(components, claims)).toBe(sub);
  });

  it('never lets two refs of one project share a sub (B7)', () => {
    const refs: Array<[string, string]> = [
      ['tag', 'v1'],
      ['branch', 'v1:ref_type:tag'],
      ['branch', 'v1'],
      ['branch', 'v1%3Aref_type%3Atag'],
      ['branch', 'v1:ref_type:branch'],
    ];
    for (const components of [DEFAULT_SUB_CLAIM_COMPONENTS, ['project_path', 'ref', 'ref_type'] as const]) {
      const subs = refs.map(([refType, ref]) => composeSubClaim(components, { ...CLAIMS, ref_type: refType, ref }));
      expect(new Set(subs).size).toBe(refs.length);
    }
  });

  it('accepts a sub of exactly 255 bytes and refuses 256 without truncating (B8)', () => {
    const prefix = 'project_path:g/p:ref:';
    const fits = { ...CLAIMS, project_path: 'g/p', ref: 'x'.repeat(255 - prefix.length) };
    expect(composeSubClaim(['project_path', 'ref'], fits)).toHaveLength(255);
    const over = { ...fits, ref: `${fits.ref}x` };
    expect(() => composeSubClaim(['project_path', 'ref'], over)).toThrow(
      expect.objectContaining({
        code: 'ERR_SUB_TOO_LONG',
        field: 'sub',
        message: expect.stringContaining('sub exceeds 255 characters (it would be 256 bytes)'),
      }),
    );
  });

  it('counts bytes, so 128 two-byte characters are too long (B8)', () => {
    const claims = { ...CLAIMS, ref: 'é'.repeat(120) };
    expect(() => composeSubClaim(['project_id', 'ref'], claims)).toThrow(IdTokenError);
  });

  it('counts escapes: a sub that only fits unescaped is refused', () => {
    const claims = { ...CLAIMS, project_path: 'g/p', ref: ':'.repeat(80) }; // 80 → 240 bytes once escaped
    expect(() => composeSubClaim(['project_path', 'ref'], claims)).toThrow(expect.objectContaining({ code: 'ERR_SUB_TOO_LONG' }));
  });

  it.each<[string, readonly string[], IdTokenErrorCode]>([
    ['an empty list', [], 'ERR_SUB_COMPONENTS_EMPTY'],
    ['a list not led by a project component', ['ref', 'project_path'], 'ERR_SUB_FIRST_COMPONENT'],
    ['a list led by a namespace, stored before the rule', ['namespace_path', 'ref'], 'ERR_SUB_FIRST_COMPONENT'],
    ['an unknown component, which GitLab drops silently (26)', ['project_path', 'not_existing_claim'], 'ERR_SUB_COMPONENT_UNKNOWN'],
    ['a repeated component', ['project_path', 'ref', 'ref'], 'ERR_SUB_COMPONENT_DUPLICATE'],
  ])('refuses %s even when the settings let it through', (_title, components, code) => {
    expect(() => composeSubClaim(components as readonly SubClaimComponent[], CLAIMS)).toThrow(
      expect.objectContaining({ name: 'IdTokenError', code, field: 'ci_id_token_sub_claim_components' }),
    );
  });
});
