"""Drives Lanyard's CI lint and pipelines with python-gitlab, unmodified.

Usage: python3 python_gitlab_pipelines.py BASE_URL ROOT_TOKEN SUFFIX
Prints one JSON object describing what the server answered; any failed assertion exits non-zero.
"""
import json
import sys

import gitlab

CONFIG = """stages: [build, test]
compile:
  stage: build
  script: make
unit:
  stage: test
  script: make test
  id_tokens:
    AWS_TOKEN:
      aud: sts.amazonaws.com
"""

INVALID = """deploy:
  script: ./deploy
  id_tokens:
    AWS_TOKEN:
      audience: sts.amazonaws.com
"""


def main() -> None:
    base_url, token, suffix = sys.argv[1], sys.argv[2], sys.argv[3]
    gl = gitlab.Gitlab(base_url, private_token=token, per_page=2)
    project = gl.projects.create({"name": f"Pipelines {suffix}", "path": f"pipelines-{suffix}"})
    project.files.create({"file_path": ".gitlab-ci.yml", "branch": "main", "content": CONFIG, "commit_message": "Add CI config"})

    valid = project.ci_lint.create({"content": CONFIG, "include_jobs": True})
    invalid = project.ci_lint.create({"content": INVALID})
    project.ci_lint.validate({"content": CONFIG})
    try:
        project.ci_lint.validate({"content": INVALID})
        raise AssertionError("validate accepted an invalid config")
    except gitlab.exceptions.GitlabCiLintError as error:
        validate_error = str(error)
    at_default_branch = project.ci_lint.get()

    # New projects refuse pipeline variables until a maintainer allows them.
    project.ci_pipeline_variables_minimum_override_role = "maintainer"
    project.save()
    created = project.pipelines.create({"ref": "main", "variables": [{"key": "DEPLOY_TARGET", "value": "eu-1"}]})
    pipeline = project.pipelines.get(created.id)
    jobs = pipeline.jobs.list(get_all=True)
    try:
        project.pipelines.create({"ref": "no-such-branch"})
        raise AssertionError("a pipeline was created for a missing ref")
    except gitlab.exceptions.GitlabCreateError as error:
        missing_ref = [error.response_code, error.error_message]
    project.pipelines.create({"ref": "main"})
    project.pipelines.create({"ref": "main"})
    # per_page=2 makes the client follow the Link/X-Next-Page headers across pages; the CI config commit's push
    # pipeline is left out by GitLab's source filter.
    listed = [p.id for p in project.pipelines.list(get_all=True, source="api")]

    # python-gitlab 3.12 has no `latest()`: `get("latest")` asks GitLab's path with its own query parameters.
    latest = project.pipelines.get("latest")
    latest_on_main = project.pipelines.get("latest", ref="main")
    variables = [[v.key, v.value, v.variable_type] for v in pipeline.variables.list()]
    pipeline.delete()
    project.pipelines.delete(latest.id)
    try:
        project.pipelines.get(created.id)
        raise AssertionError("a deleted pipeline was still shown")
    except gitlab.exceptions.GitlabGetError as error:
        deleted = error.response_code

    print(
        json.dumps(
            {
                "lint_valid": [valid.valid, valid.errors, valid.warnings, [job["name"] for job in valid.jobs]],
                "lint_invalid": [invalid.valid, invalid.errors],
                "validate_error": validate_error,
                "lint_default_branch": at_default_branch.valid,
                "created": [created.status, created.ref, created.source, created.tag],
                "fetched": [pipeline.id == created.id, pipeline.status, pipeline.sha == created.sha, pipeline.user["username"]],
                "jobs": [[job.name, job.stage, job.status, job.pipeline["id"] == created.id] for job in jobs],
                "missing_ref": missing_ref,
                "listed": len(listed) == 3 and listed[-1] == created.id and listed == sorted(listed, reverse=True),
                "iids": [created.iid, pipeline.iid, latest.iid],
                "latest": [latest.id == listed[0], latest_on_main.id == listed[0], latest.ref],
                "variables": variables,
                "deleted": [deleted, len(project.pipelines.list(get_all=True, source="api"))],
            }
        )
    )


if __name__ == "__main__":
    main()
