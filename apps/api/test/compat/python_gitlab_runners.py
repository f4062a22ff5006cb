"""Drives Lanyard's runner administration with python-gitlab 3.12, unmodified (issue 18, item 7).

python-gitlab has managers for listing (own, all, a project's, a group's), updating and deleting runners; creating a
runner (`POST /user/runners`) and resetting its token it does not wrap, so they go through gl.http_post as its users do.

Usage: python3 python_gitlab_runners.py BASE_URL ROOT_TOKEN SUFFIX
Prints one JSON object describing what the server answered; any failed assertion exits non-zero.
"""
import json
import sys

import gitlab


def main() -> None:
    base_url, root_token, suffix = sys.argv[1], sys.argv[2], sys.argv[3]
    gl = gitlab.Gitlab(base_url, private_token=root_token)
    gl.auth()

    def new_user(name: str) -> gitlab.Gitlab:
        user = gl.users.create(
            {"username": f"{name}-{suffix}", "name": name, "email": f"{name}-{suffix}@example.com", "password": "unused", "skip_confirmation": True}
        )
        token = user.personal_access_tokens.create({"name": f"{name}-main", "scopes": ["api"]})
        client = gitlab.Gitlab(base_url, private_token=token.token)
        client.auth()
        return client

    alice = new_user("alice")
    dev = new_user("dev")
    group = alice.groups.create({"name": f"runners-{suffix}", "path": f"runners-{suffix}"})
    project = alice.projects.create({"name": "service", "namespace_id": group.id})
    project.members.create({"user_id": dev.user.id, "access_level": 30})

    project_runner = alice.http_post("/user/runners", post_data={"runner_type": "project_type", "project_id": project.id, "description": "py"})
    group_runner = alice.http_post("/user/runners", post_data={"runner_type": "group_type", "group_id": group.id})
    result = {
        "own": sorted(r.id for r in alice.runners.list(get_all=True)) == sorted([project_runner["id"], group_runner["id"]]),
        "own_group_type": [r.runner_type for r in alice.runners.list(type="group_type", get_all=True)],
        "dev_own": [r.id for r in dev.runners.list(get_all=True)],
        "all_has_both": {project_runner["id"], group_runner["id"]} <= {r.id for r in gl.runners.all(get_all=True)},
        "project": sorted(r.runner_type for r in project.runners.list(type="project_type", get_all=True)),
        "group": sorted(r.runner_type for r in group.runners.list(type="group_type", get_all=True)),
    }

    try:
        dev.runners.all()
        result["dev_all"] = "listed"
    except gitlab.exceptions.GitlabListError as error:
        result["dev_all"] = error.response_code
    try:
        dev.runners.delete(project_runner["id"])
        result["dev_delete"] = "deleted"
    except gitlab.exceptions.GitlabDeleteError as error:
        result["dev_delete"] = error.response_code
    try:
        dev.http_post(f"/runners/{project_runner['id']}/reset_authentication_token")
        result["dev_reset"] = "reset"
    except gitlab.exceptions.GitlabHttpError as error:
        result["dev_reset"] = error.response_code

    runner = alice.runners.get(project_runner["id"])
    runner.locked = True
    runner.tag_list = ["linux", "arm"]
    runner.save()
    again = alice.runners.get(project_runner["id"])
    result["updated"] = [again.locked, again.tag_list, again.description]

    reset = alice.http_post(f"/runners/{project_runner['id']}/reset_authentication_token")
    result["reset_new_token"] = reset["token"] != project_runner["token"]
    try:
        gl.runners.verify(project_runner["token"])
        result["old_token"] = "accepted"
    except gitlab.exceptions.GitlabVerifyError as error:
        result["old_token"] = error.response_code
    gl.runners.verify(reset["token"])

    alice.runners.delete(project_runner["id"])
    try:
        alice.runners.get(project_runner["id"])
        result["after_delete"] = "found"
    except gitlab.exceptions.GitlabGetError as error:
        result["after_delete"] = error.response_code
    print(json.dumps(result))


if __name__ == "__main__":
    main()
