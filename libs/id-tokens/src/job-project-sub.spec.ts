import { FORK, FORK_MR_IDENTITY, IDENTITY, ISSUER, JTI, NOW, withPipeline } from './__fixtures__/job-identity';
import { buildIdTokenClaims, predefinedClaims, type IdTokenOptions } from './claims';
import { JOB_PROJECT_COMPONENTS, subComponentsInForce, type JobProjectComponent } from './job-project-sub';
import {
  DEFAULT_SUB_CLAIM_COMPONENTS,
  SUB_CLAIM_COMPONENTS,
  SUB_CLAIM_MAX_LENGTH,
  composeSubClaim,
  type SubClaimComponent,
} from './sub-claim';
import type { JobIdentity } from './types';

/** A fork's merge request from its `main`, run in the parent (an environment, so every component has a value). */
const FORK_MAIN_IN_PARENT: JobIdentity = {
  ...withPipeline({ ref: 'main' }, FORK_MR_IDENTITY),
  job: { id: 302, environment: { name: 'review/main', protected: false, tier: 'development' } },
};
/** The fork's own pipeline with everything else equal: a merge request inside the fork, on the same unprotected ref. */
const FORK_OWN_TWIN: JobIdentity = { ...FORK_MAIN_IN_PARENT, jobProject: FORK };
const SAME_PROJECT_MR = withPipeline({ source: 'merge_request_event', ref: 'feature', refProtected: false });

type Row = [title: string, configured: SubClaimComponent[], appended: JobProjectComponent | null];

const FORK_ROWS: Row[] = [
  ['the default', [...DEFAULT_SUB_CLAIM_COMPONENTS], 'job_project_path'],
  ['project_path alone', ['project_path'], 'job_project_path'],
  ['a project_id lead: the id, as rename-proof as the rest', ['project_id', 'ref_type', 'ref'], 'job_project_id'],
  ['a project_path lead that also has project_id: the lead decides', ['project_path', 'project_id', 'ref'], 'job_project_path'],
  ['a project_id lead that also has project_path', ['project_id', 'project_path'], 'job_project_id'],
  ['ref_protected: a fork has unprotected refs too', ['project_path', 'ref_type', 'ref', 'ref_protected'], 'job_project_path'],
  ['pipeline_source: a fork has its own merge_request_event pipelines', ['project_path', 'ref', 'pipeline_source'], 'job_project_path'],
  ['namespace components: the fork’s namespace', ['project_id', 'namespace_id', 'namespace_path', 'ref'], 'job_project_id'],
  [
    'environment components: a fork defines the same environment',
    ['project_id', 'environment', 'environment_protected', 'deployment_tier'],
    'job_project_id',
  ],
  ['job_project_path after the lead: already names the parent', ['project_path', 'ref_type', 'ref', 'job_project_path'], null],
  ['job_project_id after the lead', ['project_id', 'ref', 'job_project_id'], null],
  ['job_project_id after a path lead', ['project_path', 'job_project_id'], null],
  ['a job_project_path lead', ['job_project_path', 'ref', 'ref_protected'], null],
  ['a job_project_id lead', ['job_project_id', 'project_id', 'ref'], null],
];

describe(subComponentsInForce.name, () => {
  it('treats exactly job_project_path and job_project_id as naming the job project', () => {
    expect([...JOB_PROJECT_COMPONENTS].sort()).toEqual(['job_project_id', 'job_project_path']);
  });

  describe('a fork’s merge-request pipeline run in the parent', () => {
    it.each(FORK_ROWS)('with %s %j: appends %j (null: names the job project already)', (_title, configured, appended) => {
      expect(subComponentsInForce(configured, FORK_MAIN_IN_PARENT)).toEqual({
        components: appended ? [...configured, appended] : configured,
        appended,
      });
    });

    it.each(FORK_ROWS)(
      'with %s: gives a sub the fork’s own pipelines cannot mint, whichever of these lists the fork chose',
      (_title, configured) => {
        const inParent = sub(FORK_MAIN_IN_PARENT, subComponentsInForce(configured, FORK_MAIN_IN_PARENT).components);
        for (const forkList of [configured, subComponentsInForce(configured, FORK_MAIN_IN_PARENT).components]) {
          expect(sub(FORK_OWN_TWIN, forkList)).not.toBe(inParent);
        }
      },
    );

    it.each(FORK_ROWS)('with %s: maps its own result to itself', (_title, configured) => {
      const once = subComponentsInForce(configured, FORK_MAIN_IN_PARENT).components;
      expect(subComponentsInForce(once, FORK_MAIN_IN_PARENT).components).toEqual(once);
    });

    it('appends to every list without a job-project component, and to none with one', () => {
      const leads: SubClaimComponent[] = ['project_path', 'project_id'];
      for (const lead of leads) {
        for (const other of SUB_CLAIM_COMPONENTS.filter((component) => component !== lead)) {
          const namesJobProject = (JOB_PROJECT_COMPONENTS as readonly string[]).includes(other);
          const expected = lead === 'project_id' ? 'job_project_id' : 'job_project_path';
          expect(subComponentsInForce([lead, other], FORK_MAIN_IN_PARENT).appended).toBe(namesJobProject ? null : expected);
        }
      }
    });
  });

  it.each<[string, JobIdentity]>([
    ['a branch pipeline', IDENTITY],
    ['a tag pipeline', withPipeline({ ref: 'v1.0', refType: 'tag' })],
    ['a same-project merge request (source == job project)', SAME_PROJECT_MR],
    ['the fork’s own pipeline', FORK_OWN_TWIN],
  ])('leaves every list of %s unchanged', (_title, identity) => {
    for (const [, configured] of FORK_ROWS) {
      const inForce = subComponentsInForce(configured, identity);
      expect(inForce).toEqual({ components: configured, appended: null });
      expect(inForce.components).toBe(configured);
    }
  });
});

describe(`${buildIdTokenClaims.name} under the job-project rule`, () => {
  const build = (identity: JobIdentity, subComponents: readonly SubClaimComponent[] = DEFAULT_SUB_CLAIM_COMPONENTS) => {
    const options: IdTokenOptions = { aud: 'sts.amazonaws.com', subComponents, issuer: ISSUER, ttl: 3600 };
    return buildIdTokenClaims(identity, options, NOW, JTI);
  };

  it('appends the job project to a fork merge request’s sub, and to no other', () => {
    expect(build(FORK_MAIN_IN_PARENT).sub).toBe(
      'project_path:dev-user/my-project:ref_type:branch:ref:main:job_project_path:my-group/my-project',
    );
    expect(build(FORK_MAIN_IN_PARENT, ['project_id', 'ref']).sub).toBe('project_id:31:ref:main:job_project_id:20');
    expect(build(FORK_OWN_TWIN).sub).toBe('project_path:dev-user/my-project:ref_type:branch:ref:main');
    expect(build(SAME_PROJECT_MR).sub).toBe('project_path:my-group/my-project:ref_type:branch:ref:feature');
  });

  it('still escapes values: an environment named like the appended component cannot forge it', () => {
    const forged: JobIdentity = {
      ...FORK_OWN_TWIN,
      job: { id: 302, environment: { name: 'review/main:job_project_path:my-group/my-project', protected: false, tier: 'development' } },
    };
    const inParent = build(FORK_MAIN_IN_PARENT, ['project_path', 'environment']).sub;
    expect(inParent).toBe('project_path:dev-user/my-project:environment:review/main:job_project_path:my-group/my-project');
    expect(build(forged, ['project_path', 'environment']).sub).toBe(
      'project_path:dev-user/my-project:environment:review/main%3Ajob_project_path%3Amy-group/my-project',
    );
  });

  it('fails rather than cuts a sub the appended component takes over 255 bytes', () => {
    const ref = 'r'.repeat(SUB_CLAIM_MAX_LENGTH - 'project_path:dev-user/my-project:ref_type:branch:ref:'.length);
    expect(build(withPipeline({ ref }, FORK_OWN_TWIN)).sub).toHaveLength(SUB_CLAIM_MAX_LENGTH);
    expect(() => build(withPipeline({ ref }, FORK_MAIN_IN_PARENT))).toThrow(
      expect.objectContaining({ code: 'ERR_SUB_TOO_LONG', field: 'sub' }),
    );
  });
});

function sub(identity: JobIdentity, components: readonly SubClaimComponent[]): string {
  return composeSubClaim(components, predefinedClaims(identity));
}
