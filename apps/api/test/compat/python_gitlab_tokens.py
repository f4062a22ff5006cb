"""Drives Lanyard's token, metadata and inherited-member endpoints with python-gitlab, unmodified.

python-gitlab 3.12 has managers for listing and revoking tokens, for the version and for members/all; for the
token endpoints it has no manager for (self, rotation) it is called as its users do, through gl.http_get/http_post.

Usage: python3 python_gitlab_tokens.py BASE_URL ROOT_TOKEN SUFFIX
Prints one JSON object describing what the server answered; any failed assertion exits non-zero.
"""
import json
import sys

import gitlab


def authenticates(base_url: str, token: str) -> bool:
    try:
        gitlab.Gitlab(base_url, private_token=token).auth()
        return True
    except gitlab.exceptions.GitlabAuthenticationError:
        return False


def main() -> None:
    base_url, root_token, suffix = sys.argv[1], sys.argv[2], sys.argv[3]
    gl = gitlab.Gitlab(base_url, private_token=root_token, per_page=2)
    gl.auth()
    result = {"version": list(gl.version())}

    def new_user(name: str):
        user = gl.users.create(
            {"username": f"{name}-{suffix}", "name": name, "email": f"{name}-{suffix}@example.com", "password": "unused", "skip_confirmation": True}
        )
        token = user.personal_access_tokens.create({"name": f"{name}-main", "scopes": ["api"]})
        return user, token

    alice, alice_main = new_user("alice")
    spare = alice.personal_access_tokens.create({"name": "alice-spare", "scopes": ["read_api"]})
    mallory, mallory_main = new_user("mallory")

    ga = gitlab.Gitlab(base_url, private_token=alice_main.token)
    own = ga.personal_access_tokens.list(get_all=True)
    result["own"] = sorted(t.name for t in own)
    assert all(not hasattr(t, "token") for t in own), "a listed token carries its secret"
    result["admin_user_filter"] = sorted(t.name for t in gl.personal_access_tokens.list(user_id=alice.id, get_all=True))

    gm = gitlab.Gitlab(base_url, private_token=mallory_main.token)
    try:
        gm.personal_access_tokens.delete(spare.id)
        result["attack_delete"] = "deleted"
    except gitlab.exceptions.GitlabDeleteError as error:
        result["attack_delete"] = error.response_code
    try:
        gm.http_post(f"/personal_access_tokens/{alice_main.id}/rotate")
        result["attack_rotate"] = "rotated"
    except gitlab.exceptions.GitlabError as error:  # GitLab answers 401, which python-gitlab raises as an authentication error
        result["attack_rotate"] = error.response_code
    result["attack_left_tokens_working"] = authenticates(base_url, alice_main.token)

    me = ga.http_get("/personal_access_tokens/self")
    result["self"] = [me["id"] == alice_main.id, me["name"], me["active"], "token" in me]
    rotated = ga.http_post("/personal_access_tokens/self/rotate")
    result["rotated"] = [rotated["name"], rotated["token"].startswith("glpat-"), rotated["id"] != alice_main.id]
    result["old_works"] = authenticates(base_url, alice_main.token)
    result["new_works"] = authenticates(base_url, rotated["token"])

    gn = gitlab.Gitlab(base_url, private_token=rotated["token"])
    gn.personal_access_tokens.delete(spare.id)
    result["spare_after_delete"] = authenticates(base_url, spare.token)

    group = gl.groups.create({"name": f"Tok {suffix}", "path": f"tok-{suffix}"})
    subgroup = gl.groups.create({"name": "Sub", "path": "sub", "parent_id": group.id})
    project = gl.projects.create({"name": "App", "path": "app", "namespace_id": subgroup.id})
    group.members.create({"user_id": alice.id, "access_level": gitlab.const.DEVELOPER_ACCESS})
    project.members.create({"user_id": alice.id, "access_level": gitlab.const.MAINTAINER_ACCESS})
    subgroup.members.create({"user_id": mallory.id, "access_level": gitlab.const.REPORTER_ACCESS})
    result["project_members_all"] = sorted(
        [m.username.split("-")[0], m.access_level] for m in project.members_all.list(get_all=True)
    )
    result["project_member_all_get"] = project.members_all.get(alice.id).access_level
    result["subgroup_members_all"] = sorted([m.username.split("-")[0], m.access_level] for m in subgroup.members_all.list(get_all=True))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
