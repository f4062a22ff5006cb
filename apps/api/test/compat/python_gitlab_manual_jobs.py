"""Plays, cancels, retries and erases jobs, and cancels and retries pipelines, with python-gitlab, unmodified.

The runner's part (taking a job, sending its log, finishing it) is plain HTTP, as gitlab-runner sends it.

Usage: python3 python_gitlab_manual_jobs.py BASE_URL ROOT_TOKEN SUFFIX
Prints one JSON object describing what the server answered; any failed assertion exits non-zero.
"""
import json
import sys

import gitlab
import requests

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

    control = job_control(gl, base_url, project, pipeline, as_developer)
    print(
        json.dumps(
            {
                "before": [before, deploy.allow_failure],
                "refused": [refused, after_refusal],
                "played": [played.status, played.user["username"]],
                "replayed": replayed,
                **control,
            }
        )
    )


def job_control(gl, base_url, project, pipeline, as_developer) -> dict:
    """job.cancel/retry/erase and pipeline.cancel/retry on the pipeline above (build pending, deploy played)."""
    build = next(job for job in pipeline.jobs.list(get_all=True) if job.name == "build")
    try:
        as_developer.projects.get(project.id, lazy=True).jobs.get(build.id, lazy=True).cancel()
        raise AssertionError("a developer canceled a job on protected main")
    except gitlab.exceptions.GitlabJobCancelError as error:
        cancel_refused = error.response_code
    canceled = project.jobs.get(build.id, lazy=True).cancel()
    retried = project.jobs.get(build.id, lazy=True).retry()
    try:
        project.jobs.get(build.id, lazy=True).retry()
        raise AssertionError("a job was retried twice")
    except gitlab.exceptions.GitlabJobRetryError as error:
        retried_twice = [error.response_code, error.error_message]

    pipeline.cancel()
    after_cancel = statuses(project.pipelines.get(pipeline.id))
    pipeline.retry()
    after_retry = statuses(project.pipelines.get(pipeline.id))

    # A runner runs the retried build with a log, then it is erased.
    runner = gl.http_post("/user/runners", post_data={"runner_type": "project_type", "project_id": project.id})
    job = requests.post(f"{base_url}/api/v4/jobs/request", json={"token": runner["token"]}, timeout=10).json()
    trace = requests.patch(
        f"{base_url}/api/v4/jobs/{job['id']}/trace",
        data=b"compiling\n",
        headers={"JOB-TOKEN": job["token"], "Content-Range": "0-9"},
        timeout=10,
    )
    assert trace.status_code == 202, trace.text
    finished = requests.put(f"{base_url}/api/v4/jobs/{job['id']}", json={"token": job["token"], "state": "success"}, timeout=10)
    assert finished.status_code == 200, finished.text
    project.jobs.get(job["id"], lazy=True).erase()
    erased = project.jobs.get(job["id"])
    try:
        project.jobs.get(job["id"], lazy=True).erase()
        raise AssertionError("a job was erased twice")
    except gitlab.exceptions.GitlabJobEraseError as error:
        erased_twice = [error.response_code, error.error_message]

    return {
        "cancel_refused": cancel_refused,
        "canceled": [canceled["id"] == build.id, canceled["status"]],
        "retried": [retried["id"] != build.id, retried["name"], retried["status"]],
        "retried_twice": retried_twice,
        "pipeline_canceled": after_cancel,
        "pipeline_retried": after_retry,
        "erased": [erased.erased_at is not None, project.jobs.get(job["id"], lazy=True).trace().decode()],
        "erased_twice": erased_twice,
    }


def statuses(pipeline) -> list:
    """The pipeline's status and its latest jobs' statuses, as they are now."""
    return [pipeline.status, sorted(job.status for job in pipeline.jobs.list(get_all=True))]


if __name__ == "__main__":
    main()
