"""Drives Lanyard's user directory with python-gitlab, unmodified: gl.users.list(), gl.users.get(id) and gl.user.

Usage: python3 python_gitlab_users.py BASE_URL ROOT_TOKEN SUFFIX
Prints one JSON object describing what the server answered; any failed assertion exits non-zero.
"""
import json
import sys

import gitlab


def main() -> None:
    base_url, root_token, suffix = sys.argv[1], sys.argv[2], sys.argv[3]
    gl = gitlab.Gitlab(base_url, private_token=root_token)
    gl.auth()

    def new_user(name: str):
        return gl.users.create(
            {"username": f"{suffix}-{name}", "name": name.title(), "email": f"{suffix}-{name}@example.com", "password": "unused"}
        )

    alice, bob, carol = new_user("alice"), new_user("bob"), new_user("carol")
    carol.block()
    token = alice.personal_access_tokens.create({"name": "py", "scopes": ["read_user"]})
    ga = gitlab.Gitlab(base_url, private_token=token.token, per_page=1)
    ga.auth()

    def short(users):
        return sorted(u.username.removeprefix(f"{suffix}-") for u in users)

    as_alice = ga.users.list(search=suffix, get_all=True)
    result = {
        "current": [ga.user.id == alice.id, ga.user.username == alice.username, ga.user.email],
        "admin_list": sorted([u.username.removeprefix(f"{suffix}-"), u.email, u.is_admin] for u in gl.users.list(search=suffix, get_all=True)),
        "admin_blocked": short(gl.users.list(search=suffix, blocked=True, get_all=True)),
        "admin_active": short(gl.users.list(search=suffix, active=True, get_all=True)),
        "user_list": short(as_alice),
        "user_list_fields": sorted({key for u in as_alice for key in u.attributes}),
        "user_by_username": short(ga.users.list(username=bob.username.upper())),
        "user_by_email": short(ga.users.list(search=f"{suffix}-bob@example.com")),
        "user_pages": len(list(ga.users.list(search=suffix, iterator=True))),
        "user_get": sorted(ga.users.get(bob.id).attributes),
        "admin_get": gl.users.get(bob.id).email,
    }
    try:
        gitlab.Gitlab(base_url).users.list(username=bob.username)
        result["anonymous"] = "listed"
    except gitlab.exceptions.GitlabError as error:
        result["anonymous"] = error.response_code
    print(json.dumps(result))


if __name__ == "__main__":
    main()
