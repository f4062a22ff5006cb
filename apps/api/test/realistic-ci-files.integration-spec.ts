import { pipelinesBySource } from './support/realistic-pipelines';
import { TestApp, startTestApp } from './support/test-app';

/** A Go service in the style of the big Go projects' GitLab files: lint, race tests with coverage, a cross-build matrix. */
const GO_SERVICE = `
stages: [lint, test, build, release]

variables:
  GO_VERSION: "1.22"
  CGO_ENABLED: "0"
  GOPATH: $CI_PROJECT_DIR/.go

workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS
      when: never
    - if: $CI_COMMIT_BRANCH
    - if: $CI_COMMIT_TAG

default:
  image: golang:\${GO_VERSION}
  interruptible: true

.go-cache:
  cache:
    key:
      files: [go.sum]
    paths: [.go/pkg/mod/]

golangci-lint:
  stage: lint
  image: golangci/golangci-lint:v1.59.1
  script:
    - golangci-lint run --timeout 5m --out-format code-climate | tee gl-code-quality-report.json
  artifacts:
    when: always
    paths: [gl-code-quality-report.json]

go-test:
  stage: test
  extends: .go-cache
  script:
    - go test -race -coverprofile=coverage.out ./... 2>&1 | tee test.log
    - go tool cover -func=coverage.out
  coverage: '/total:\\s+\\(statements\\)\\s+(\\d+.\\d+)%/'
  artifacts:
    when: always
    reports:
      junit: report.xml

build:
  stage: build
  extends: .go-cache
  needs: [go-test]
  parallel:
    matrix:
      - GOOS: [linux, darwin]
        GOARCH: [amd64, arm64]
  script:
    - go build -trimpath -o bin/app-$GOOS-$GOARCH ./cmd/app
  artifacts:
    paths: [bin/]
    expire_in: 1 week

docker-image:
  stage: release
  image: docker:24.0
  services: [docker:24.0-dind]
  variables:
    DOCKER_TLS_CERTDIR: /certs
  before_script:
    - echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"
  script:
    - docker build -t "$CI_REGISTRY_IMAGE:$CI_COMMIT_TAG" .
    - docker push "$CI_REGISTRY_IMAGE:$CI_COMMIT_TAG"
  rules:
    - if: $CI_COMMIT_TAG
`;

// Stage by stage: lint runs first (pending), the rest wait (created); build's matrix names are GitLab's.
const GO_BRANCH_JOBS = [
  ['build: [darwin, amd64]', 'created'],
  ['build: [darwin, arm64]', 'created'],
  ['build: [linux, amd64]', 'created'],
  ['build: [linux, arm64]', 'created'],
  ['go-test', 'created'],
  ['golangci-lint', 'pending'],
];

/** Issue 16, "Done when": realistic files create exactly the jobs GitLab would, for each pipeline source. */
describe('Realistic CI files: a Go service', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  it('creates the jobs GitLab would for a feature push, a push to main, a tag and a merge request', async () => {
    const pipelines = await pipelinesBySource(api, GO_SERVICE);
    expect(pipelines).toEqual({
      featurePush: GO_BRANCH_JOBS,
      mainPush: GO_BRANCH_JOBS,
      // Only a tag pipeline builds and pushes the image.
      tag: [...GO_BRANCH_JOBS.slice(0, 4), ['docker-image', 'created'], ...GO_BRANCH_JOBS.slice(4)],
      mergeRequest: GO_BRANCH_JOBS,
      // Lint's dry run (a push) plans the same jobs as the pushes created.
      dryRun: { main: GO_BRANCH_JOBS.map(([name]) => name), feature: GO_BRANCH_JOBS.map(([name]) => name) },
    });
  });
});
