"""Drives CI lint's dry run and a rules-selected pipeline with python-gitlab, unmodified (issue 16, item 5).

Usage: python3 python_gitlab_dry_run.py BASE_URL ROOT_TOKEN SUFFIX
Prints one JSON object describing what the server answered; any failed assertion exits non-zero.
"""
import json
import sys

import gitlab

CONFIG = """stages: [build, test, deploy]
build:
  stage: build
  script: go build ./...
  tags: [docker]
test:
  stage: test
  script: go test ./...
  needs: [build]
deploy:
  stage: deploy
  script: ./deploy
  environment: production
  rules:
    - if: $CI_COMMIT_REF_PROTECTED == "true" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
review:
  stage: test
  script: ./review
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
"""


def main() -> None:
    base_url, token, suffix = sys.argv[1], sys.argv[2], sys.argv[3]
    gl = gitlab.Gitlab(base_url, private_token=token)
    project = gl.projects.create({"name": f"Dry run {suffix}", "path": f"dry-run-{suffix}"})
    project.files.create({"file_path": ".gitlab-ci.yml", "branch": "main", "content": CONFIG, "commit_message": "CI [skip ci]"})
    project.branches.create({"branch": "feature", "ref": "main"})

    dry_run = project.ci_lint.create({"content": CONFIG, "dry_run": True, "include_jobs": True})
    on_feature = project.ci_lint.create({"content": CONFIG, "dry_run": True, "ref": "feature", "include_jobs": True})
    at_default_branch = project.ci_lint.get()
    created = project.pipelines.create({"ref": "main"})
    jobs = project.pipelines.get(created.id).jobs.list(get_all=True)

    print(
        json.dumps(
            {
                "dry_run": [dry_run.valid, dry_run.errors, [[job["name"], job["stage"], job["when"]] for job in dry_run.jobs]],
                "dry_run_fields": sorted(dry_run.jobs[0].keys()),
                "on_feature": [job["name"] for job in on_feature.jobs],
                "merged_yaml": "review:" in dry_run.merged_yaml,
                "lint_default_branch": [at_default_branch.valid, at_default_branch.errors],
                "pipeline": [created.ref, created.source],
                "jobs": sorted([job.name, job.stage] for job in jobs),
            }
        )
    )


if __name__ == "__main__":
    main()
