import { client, resources } from './support/resources';
import { dryRun, jobsOf, newPipeline } from './support/realistic-pipelines';
import { commitFile } from './support/repository-fixtures';
import { TestApp, createUser, startTestApp } from './support/test-app';

/** Shared hidden templates every service's file extends. */
const TEMPLATES = `
.service:
  image: node:20-alpine
  interruptible: true

.build:
  extends: .service
  stage: build
  script: [make -C services/$SERVICE build]
  artifacts:
    paths: [services/$SERVICE/dist/]

.test:
  extends: .service
  stage: test
  script: [make -C services/$SERVICE test]

.deploy-staging:
  stage: deploy
  image: alpine:3.20
  script: [./scripts/deploy.sh staging $SERVICE]
  environment:
    name: staging/$SERVICE
`;

/** One service's file: its jobs run when its directory, the shared CI files or the root file changed. */
const serviceCi = (service: string) => `
.${service}:
  variables:
    SERVICE: ${service}
  rules:
    - changes: [services/${service}/**/*, ci/*.yml, .gitlab-ci.yml]

.${service}-staging:
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
      changes: [services/${service}/**/*, ci/*.yml, .gitlab-ci.yml]

build-${service}:
  extends: [.build, .${service}]

test-${service}:
  extends: [.test, .${service}]
  needs: [build-${service}]

deploy-${service}:
  extends: [.deploy-staging, .${service}-staging]
  variables:
    SERVICE: ${service}
  needs: [test-${service}]
`;

/** The root file: the includes, GitLab's duplicate-pipeline workflow, and a release needing jobs of both files. */
const ROOT_CI = `
stages: [build, test, deploy]

include:
  - local: ci/templates.yml
  - local: 'services/*/ci.yml'

workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS
      when: never
    - if: $CI_COMMIT_BRANCH
    - if: $CI_COMMIT_TAG

publish-release:
  stage: deploy
  image: alpine:3.20
  needs: [build-api, build-web]
  script: [./scripts/publish.sh "$CI_COMMIT_TAG"]
  rules:
    - if: $CI_COMMIT_TAG
`;

const FILES: Record<string, string> = {
  'ci/templates.yml': TEMPLATES,
  'services/api/ci.yml': serviceCi('api'),
  'services/api/src/app.ts': 'export const app = 1;\n',
  'services/web/ci.yml': serviceCi('web'),
  'services/web/src/index.ts': 'export const web = 1;\n',
  // Not a ci.yml: the wildcard leaves it out.
  'services/web/ci.md': 'docs: {script: [x]}\n',
};

const ALL_BUILDS_AND_TESTS = [
  ['build-api', 'pending'],
  ['build-web', 'pending'],
  ['test-api', 'created'],
  ['test-web', 'created'],
];

/** Issue 16, "Done when": realistic files create exactly the jobs GitLab would, for each pipeline source. */
describe('Realistic CI files: a monorepo of included per-service files', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  it('creates the jobs GitLab would for a new branch, a push changing one service, a push to main, a tag and an MR', async () => {
    const owner = await createUser(api, 'monorepo');
    const project = await resources(api).project(owner);
    const as = client(api, owner);
    const base = `/projects/${project.id}`;
    const skipCi = { commit_message: 'Add service [skip ci]' };
    for (const [path, content] of Object.entries(FILES)) await commitFile(api, owner, project.id, path, content, 'main', skipCi);
    const lint = (await as.post(`${base}/ci/lint`, { content: ROOT_CI, include_jobs: true }).expect(200)).body;
    expect(lint.errors).toEqual([]);
    expect(lint.includes.map((file: { location: string }) => file.location)).toEqual([
      'ci/templates.yml',
      'services/api/ci.yml',
      'services/web/ci.yml',
    ]);

    // A push to main that changes .gitlab-ci.yml: every service's changes match, and main deploys each to staging.
    await commitFile(api, owner, project.id, '.gitlab-ci.yml', ROOT_CI);
    const mainPush = await newPipeline(api, owner, project.id, []);
    // A new branch has no diff to compare: GitLab's changes are true, so every service builds and tests.
    await as.post(`${base}/repository/branches`, { branch: 'feature', ref: 'main' }).expect(201);
    const newBranch = await newPipeline(api, owner, project.id, [mainPush]);
    // A push to the branch that changes only the api service.
    await as
      .put(`${base}/repository/files/${encodeURIComponent('services/api/src/app.ts')}`, {
        branch: 'feature',
        content: 'export const app = 2;\n',
        commit_message: 'api: bump',
      })
      .expect(200);
    const featurePush = await newPipeline(api, owner, project.id, [mainPush, newBranch]);
    // A tag has no diff either; it also publishes the release, which needs both services' builds.
    await as.post(`${base}/repository/tags`, { tag_name: 'v2.0.0', ref: 'main' }).expect(201);
    const tag = await newPipeline(api, owner, project.id, [mainPush, newBranch, featurePush]);
    // The merge request's changes are its diff against main: the api service only.
    const mr = await as.post(`${base}/merge_requests`, { source_branch: 'feature', target_branch: 'main', title: 'api' }).expect(201);
    const mergeRequest = (await as.post(`${base}/merge_requests/${mr.body.iid}/pipelines`).expect(200)).body.id;

    expect({
      mainPush: await jobsOf(api, owner, project.id, mainPush),
      newBranch: await jobsOf(api, owner, project.id, newBranch),
      featurePush: await jobsOf(api, owner, project.id, featurePush),
      tag: await jobsOf(api, owner, project.id, tag),
      mergeRequest: await jobsOf(api, owner, project.id, mergeRequest),
      // Lint's dry run has no diff: every changes rule holds on main. Feature now has an open merge request, so the
      // workflow keeps its branch pipelines out (GitLab's duplicate-pipeline rule at work).
      dryRun: { main: await dryRun(as, base, ROOT_CI, 'main'), feature: await dryRun(as, base, ROOT_CI, 'feature') },
    }).toEqual({
      mainPush: [
        ['build-api', 'pending'],
        ['build-web', 'pending'],
        ['deploy-api', 'created'],
        ['deploy-web', 'created'],
        ['test-api', 'created'],
        ['test-web', 'created'],
      ],
      newBranch: ALL_BUILDS_AND_TESTS,
      featurePush: [
        ['build-api', 'pending'],
        ['test-api', 'created'],
      ],
      tag: [...ALL_BUILDS_AND_TESTS.slice(0, 2), ['publish-release', 'created'], ...ALL_BUILDS_AND_TESTS.slice(2)],
      mergeRequest: [
        ['build-api', 'pending'],
        ['test-api', 'created'],
      ],
      dryRun: {
        main: ['build-api', 'build-web', 'deploy-api', 'deploy-web', 'test-api', 'test-web'],
        feature: ['Pipeline filtered out by workflow rules.'],
      },
    });
  });
});
