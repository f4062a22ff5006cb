import { pipelinesBySource } from './support/realistic-pipelines';
import { TestApp, startTestApp } from './support/test-app';

/**
 * A Python web app in the style of the big Django/FastAPI projects' GitLab files: a PostgreSQL and Redis service per
 * test job, pip's cache keyed on requirements.txt, ruff, a 3-way split pytest run, an image on main and tags, and a
 * manual production deploy for tags. Its workflow is GitLab's documented "no duplicate branch and MR pipelines" one.
 */
const PYTHON_APP = `
default:
  image: python:3.12
  services:
    - name: postgres:16
      alias: db
    - redis:7
  before_script:
    - python -m venv .venv && . .venv/bin/activate
    - pip install -r requirements.txt
  cache:
    key:
      files: [requirements.txt]
    paths: [.cache/pip, .venv/]

variables:
  PIP_CACHE_DIR: $CI_PROJECT_DIR/.cache/pip
  POSTGRES_DB: app_test
  POSTGRES_USER: app
  POSTGRES_PASSWORD: app
  DATABASE_URL: postgres://app:app@db:5432/app_test
  REDIS_URL: redis://redis:6379/0

stages: [lint, test, build, deploy]

workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS
      when: never
    - if: $CI_COMMIT_BRANCH
    - if: $CI_COMMIT_TAG

ruff:
  stage: lint
  services: []
  before_script: [pip install ruff]
  script:
    - ruff check --output-format=gitlab . > gl-code-quality-report.json
    - ruff format --check .
  artifacts:
    reports:
      codequality: gl-code-quality-report.json
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH

pytest:
  stage: test
  parallel: 3
  script:
    - pytest --junitxml=report.xml --cov=app --cov-report=term --cov-report=xml:coverage.xml
      --splits $CI_NODE_TOTAL --group $CI_NODE_INDEX
  coverage: '/TOTAL.*\\s+(\\d+%)$/'
  artifacts:
    when: always
    reports:
      junit: report.xml
      coverage_report:
        coverage_format: cobertura
        path: coverage.xml

docker-build:
  stage: build
  image: docker:24.0
  services: [docker:24.0-dind]
  cache: []
  before_script:
    - echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"
  script:
    - docker build -t "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA" .
    - docker push "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA"
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
    - if: $CI_COMMIT_TAG

deploy-production:
  stage: deploy
  image: alpine:3.20
  services: []
  cache: []
  before_script: []
  script:
    - ./scripts/deploy.sh "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA"
  environment:
    name: production
    url: https://app.example.com
  rules:
    - if: $CI_COMMIT_TAG
      when: manual
`;

// parallel: 3 makes GitLab's "pytest 1/3" … "pytest 3/3".
const PYTEST = ['pytest 1/3', 'pytest 2/3', 'pytest 3/3'];

/** Issue 16, "Done when": realistic files create exactly the jobs GitLab would, for each pipeline source. */
describe('Realistic CI files: a Python web app', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  it('creates the jobs GitLab would for a feature push, a push to main, a tag and a merge request', async () => {
    const pipelines = await pipelinesBySource(api, PYTHON_APP);
    expect(pipelines).toEqual({
      // No ruff off the default branch: the tests are the first stage with jobs, so they are the ones pending.
      featurePush: PYTEST.map((name) => [name, 'pending']),
      // On main ruff runs first; the image waits for the tests.
      mainPush: [['docker-build', 'created'], ...PYTEST.map((name) => [name, 'created']), ['ruff', 'pending']],
      // A tag builds the image and offers the manual deploy, which waits (created) behind the earlier stages.
      tag: [['deploy-production', 'created'], ['docker-build', 'created'], ...PYTEST.map((name) => [name, 'pending'])],
      // The merge request's pipeline lints and tests; no image (CI_COMMIT_BRANCH is unset in it).
      mergeRequest: [...PYTEST.map((name) => [name, 'created']), ['ruff', 'pending']],
      // Lint's dry run (a push) plans the same jobs as the pushes created.
      dryRun: { main: ['docker-build', ...PYTEST, 'ruff'], feature: PYTEST },
    });
  });
});
