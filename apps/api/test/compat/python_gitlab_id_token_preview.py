"""Previews a job's ID token claims with python-gitlab's generic `http_post`, unmodified.

Usage: python3 python_gitlab_id_token_preview.py BASE_URL ROOT_TOKEN SUFFIX
Prints one JSON object describing what the server answered; any failed assertion exits non-zero.
"""
import json
import sys

import gitlab

CONFIG = """deploy:
  script: ./deploy
  jwt_claims:
    deploy_kind: blue
  id_tokens:
    AWS_TOKEN:
      aud: sts.amazonaws.com
"""


def main() -> None:
    base_url, token, suffix = sys.argv[1], sys.argv[2], sys.argv[3]
    gl = gitlab.Gitlab(base_url, private_token=token)
    project = gl.projects.create({"name": f"Preview {suffix}", "path": f"preview-{suffix}"})
    project.files.create({"file_path": ".gitlab-ci.yml", "branch": "main", "content": CONFIG, "commit_message": "Add CI config"})
    preview = gl.http_post(f"/projects/{project.id}/ci/id_token_preview", post_data={"ref": "main", "job": "deploy"})
    [aws] = preview["tokens"]
    try:
        gl.http_post(f"/projects/{project.id}/ci/id_token_preview", post_data={"ref": "main", "job": "nope"})
        raise AssertionError("a job the config does not have was previewed")
    except gitlab.exceptions.GitlabHttpError as error:
        missing = [error.response_code, error.error_message]
    print(json.dumps({
        "variable": aws["variable"],
        "sub": aws["claims"]["sub"],
        "aud": aws["claims"]["aud"],
        "custom_claims": aws["custom_claims"],
        "missing_job": missing,
    }))


if __name__ == "__main__":
    main()
