"""Drives Lanyard's forks, merge requests and merge-request pipelines with python-gitlab, unmodified.

Usage: python3 python_gitlab_forks.py BASE_URL ROOT_TOKEN SUFFIX
Prints one JSON object describing what the server answered; any failed assertion exits non-zero.
"""
import json
import sys

import gitlab

# Rules for merge_request_event: a job without is `only: [branches, tags]` in GitLab, absent from merge-request pipelines.
CONFIG = """build:
  script: make
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH
  id_tokens:
    AWS_TOKEN:
      aud: sts.amazonaws.com
"""


def main() -> None:
    base_url, token, suffix = sys.argv[1], sys.argv[2], sys.argv[3]
    gl = gitlab.Gitlab(base_url, private_token=token)
    upstream = gl.groups.create({"name": f"upstream-{suffix}", "path": f"upstream-{suffix}"})
    downstream = gl.groups.create({"name": f"downstream-{suffix}", "path": f"downstream-{suffix}"})
    parent = gl.projects.create({"name": "service", "path": "service", "namespace_id": upstream.id})
    parent.files.create({"file_path": ".gitlab-ci.yml", "branch": "main", "content": CONFIG, "commit_message": "Add CI config"})

    created = parent.forks.create({"namespace_id": downstream.id})
    fork = gl.projects.get(created.id)
    fork.branches.create({"branch": "feature", "ref": "main"})
    mr = fork.mergerequests.create(
        {"source_branch": "feature", "target_branch": "main", "target_project_id": parent.id, "title": f"Change {suffix}"}
    )
    parent_mr = parent.mergerequests.get(mr.iid)
    pipeline = parent_mr.pipelines.create()
    listed = parent_mr.pipelines.list()
    parent_mr.state_event = "close"
    parent_mr.save()

    print(
        json.dumps(
            {
                "fork": [fork.path_with_namespace, fork.forked_from_project["id"] == parent.id, fork.default_branch],
                "forks": [p.id == fork.id for p in parent.forks.list()],
                "merge_request": [mr.iid, mr.project_id == parent.id, mr.source_project_id == fork.id, parent_mr.title],
                "pipeline": [pipeline.project_id == parent.id, pipeline.source, pipeline.ref],
                "listed": [p.id == pipeline.id for p in listed],
                "closed": parent.mergerequests.get(mr.iid).state,
            }
        )
    )


if __name__ == "__main__":
    main()
