"""Plays manual jobs with python-gitlab, unmodified.

Usage: python3 python_gitlab_manual_jobs.py BASE_URL ROOT_TOKEN SUFFIX
Prints one JSON object describing what the server answered; any failed assertion exits non-zero.
"""
import json
import sys

import gitlab

CONFIG = """stages: [build, deploy]
build:
  stage: build
  script: make
deploy:
  stage: deploy
  script: ./deploy
  when: manual
  needs: []
"""


def main() -> None:
    base_url, token, suffix = sys.argv[1], sys.argv[2], sys.argv[3]
    gl = gitlab.Gitlab(base_url, private_token=token)
    project = gl.projects.create({"name": f"Manual {suffix}", "path": f"manual-{suffix}"})
    project.files.create({"file_path": ".gitlab-ci.yml", "branch": "main", "content": CONFIG, "commit_message": "CI [skip ci]"})
    developer = gl.users.create({"username": f"dev-{suffix}", "name": "Dev", "email": f"dev-{suffix}@example.com"})
    project.members.create({"user_id": developer.id, "access_level": gitlab.const.DEVELOPER_ACCESS})
    as_developer = gitlab.Gitlab(base_url, private_token=developer.personal_access_tokens.create({"name": "t", "scopes": ["api"]}).token)

    pipeline = project.pipelines.create({"ref": "main"})
    deploy = next(job for job in pipeline.jobs.list(get_all=True) if job.name == "deploy")
    before = project.jobs.get(deploy.id).status

    # main is protected: a developer may neither push to nor merge into it, so may not play its jobs.
    try:
        as_developer.projects.get(project.id, lazy=True).jobs.get(deploy.id, lazy=True).play()
        raise AssertionError("a developer played a job on protected main")
    except gitlab.exceptions.GitlabJobPlayError as error:
        refused = error.response_code
    after_refusal = project.jobs.get(deploy.id).status

    project.jobs.get(deploy.id, lazy=True).play()
    played = project.jobs.get(deploy.id)
    try:
        project.jobs.get(deploy.id, lazy=True).play()
        raise AssertionError("a pending job was played")
    except gitlab.exceptions.GitlabJobPlayError as error:
        replayed = [error.response_code, error.error_message]

    print(
        json.dumps(
            {
                "before": [before, deploy.allow_failure],
                "refused": [refused, after_refusal],
                "played": [played.status, played.user["username"]],
                "replayed": replayed,
            }
        )
    )


if __name__ == "__main__":
    main()
