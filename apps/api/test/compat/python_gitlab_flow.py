"""Drives Lanyard with python-gitlab, unmodified, as a GitLab user would.

Usage: python3 python_gitlab_flow.py BASE_URL ROOT_TOKEN SUFFIX
Prints one JSON object describing what the server answered; any failed assertion exits non-zero.
"""
import base64
import json
import sys

import gitlab


def main() -> None:
    base_url, token, suffix = sys.argv[1], sys.argv[2], sys.argv[3]
    gl = gitlab.Gitlab(base_url, private_token=token, per_page=2)
    gl.auth()
    assert gl.user.username == "root", gl.user.username

    group = gl.groups.create({"name": f"Compat {suffix}", "path": f"compat-{suffix}", "description": "made by python-gitlab"})
    subgroup = gl.groups.create({"name": "Platform", "path": "platform", "parent_id": group.id})
    assert subgroup.full_path == f"compat-{suffix}/platform", subgroup.full_path
    assert gl.groups.get(f"compat-{suffix}/platform").id == subgroup.id

    project = gl.projects.create({"name": "Service", "path": "service", "namespace_id": subgroup.id})
    assert project.path_with_namespace == f"compat-{suffix}/platform/service", project.path_with_namespace
    assert gl.projects.get(f"compat-{suffix}/platform/service").id == project.id

    developer = gl.users.create(
        {"username": f"dev-{suffix}", "name": "Dev", "email": f"dev-{suffix}@example.com", "password": "unused-by-lanyard", "skip_confirmation": True}
    )
    reporter = gl.users.create({"username": f"rep-{suffix}", "name": "Rep", "email": f"rep-{suffix}@example.com"})
    group.members.create({"user_id": developer.id, "access_level": gitlab.const.DEVELOPER_ACCESS})
    project.members.create({"user_id": reporter.id, "access_level": gitlab.const.REPORTER_ACCESS})
    group_members = sorted(m.username for m in group.members.list(get_all=True))
    project_members = [(m.username, m.access_level) for m in project.members.list(get_all=True)]

    content = "stages: [test]\ntest:\n  script: echo hello\n"
    project.files.create({"file_path": ".gitlab-ci.yml", "branch": "main", "content": content, "commit_message": "Add CI config"})
    fetched = project.files.get(file_path=".gitlab-ci.yml", ref="main")
    assert fetched.decode().decode() == content
    assert base64.b64decode(fetched.content).decode() == content

    project.branches.create({"branch": "feature/x", "ref": "main"})
    # main is protected since its first commit (GitLab's default branch protection); one more rule, by pattern.
    project.protectedbranches.create({"name": "release/*", "push_access_level": gitlab.const.MAINTAINER_ACCESS, "merge_access_level": gitlab.const.MAINTAINER_ACCESS})
    main_branch = project.branches.get("main")
    feature_branch = project.branches.get("feature/x")
    assert main_branch.protected is True and feature_branch.protected is False
    assert main_branch.commit["id"] == feature_branch.commit["id"] and len(main_branch.commit["id"]) == 40

    # per_page=2 makes the client follow the Link/X-Next-Page headers across pages.
    all_subgroup_names = [g.full_path for g in gl.groups.list(get_all=True) if g.full_path.startswith(f"compat-{suffix}")]

    print(
        json.dumps(
            {
                "group": group.full_path,
                "subgroup": subgroup.full_path,
                "project": project.path_with_namespace,
                "default_branch": gl.projects.get(project.id).default_branch,
                "group_members": group_members,
                "project_members": project_members,
                "branches": sorted(b.name for b in project.branches.list(get_all=True)),
                "protected_branches": [p.name for p in project.protectedbranches.list(get_all=True)],
                "commit_sha": main_branch.commit["id"],
                "groups_listed": sorted(all_subgroup_names),
            }
        )
    )


if __name__ == "__main__":
    main()
