import { pipelinesBySource } from './support/realistic-pipelines';
import { TestApp, startTestApp } from './support/test-app';

const MAINTAINER = 40;

/**
 * A Helm deploy in the style of GitLab's own Auto DevOps deploy template: a review app per merge request with its
 * manual stop job, staging on the default branch, production by hand on protected main behind a protected
 * environment. (`environment:on_stop` is not built by Lanyard yet: the stop job is linked by its environment name.)
 */
const HELM_DEPLOY = `
stages: [lint, review, staging, production]

variables:
  HELM_VERSION: "3.14.4"
  CHART: ./chart
  RELEASE: $CI_PROJECT_NAME

.helm:
  image: alpine/helm:\${HELM_VERSION}
  before_script:
    - helm version
    - helm dependency build $CHART

helm-lint:
  extends: .helm
  stage: lint
  script:
    - helm lint $CHART --strict
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH

review:
  extends: .helm
  stage: review
  script:
    - helm upgrade --install "review-$CI_COMMIT_REF_SLUG" $CHART --namespace "review-$CI_COMMIT_REF_SLUG" --create-namespace --wait
  environment:
    name: review/$CI_COMMIT_REF_SLUG
  resource_group: review/$CI_COMMIT_REF_SLUG
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"

stop_review:
  extends: .helm
  stage: review
  script:
    - helm uninstall "review-$CI_COMMIT_REF_SLUG" --namespace "review-$CI_COMMIT_REF_SLUG"
  environment:
    name: review/$CI_COMMIT_REF_SLUG
    action: stop
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
      when: manual
      allow_failure: true

staging:
  extends: .helm
  stage: staging
  script:
    - helm upgrade --install $RELEASE $CHART --namespace staging --values values-staging.yaml --wait
  environment:
    name: staging
    deployment_tier: staging
  resource_group: staging
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH

production:
  extends: .helm
  stage: production
  script:
    - helm upgrade --install $RELEASE $CHART --namespace production --values values-production.yaml --atomic --wait
  environment:
    name: production
    deployment_tier: production
  resource_group: production
  rules:
    - if: $CI_COMMIT_REF_PROTECTED == "true" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
      when: manual
`;

/** Issue 16, "Done when": realistic files create exactly the jobs GitLab would, for each pipeline source. */
describe('Realistic CI files: a Helm deploy with environments', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  it('creates the jobs GitLab would for a feature push, a push to main, a tag and a merge request', async () => {
    const pipelines = await pipelinesBySource(api, HELM_DEPLOY, async (as, base) => {
      await as
        .post(`${base}/protected_environments`, { name: 'production', deploy_access_levels: [{ access_level: MAINTAINER }] })
        .expect(201);
    });
    expect(pipelines).toEqual({
      // No rule matches a feature branch's push or a tag: every job is filtered out, and GitLab stores no pipeline.
      featurePush: null,
      tag: null,
      // Lint first; staging and the manual production deploy wait for the stages before them.
      mainPush: [
        ['helm-lint', 'pending'],
        ['production', 'created'],
        ['staging', 'created'],
      ],
      mergeRequest: [
        ['helm-lint', 'pending'],
        ['review', 'created'],
        ['stop_review', 'created'],
      ],
      // Lint's dry run (a push) plans the same jobs, and answers GitLab's error where no job would be created.
      dryRun: {
        main: ['helm-lint', 'production', 'staging'],
        feature: [
          'Pipeline will not run for the selected trigger. The rules configuration prevented any jobs from being added to the pipeline.',
        ],
      },
    });
  });
});
