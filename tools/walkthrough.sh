#!/usr/bin/env bash
# The README's "ID tokens, step by step", run as a reader follows it: the fenced blocks marked `<!-- walkthrough -->`
# in that section run in order in one shell (a block marked `<!-- walkthrough: FILE -->` is saved as FILE first),
# against a started service. Then the minted VAULT_ID_TOKEN is checked as the README's Vault role would check it: the
# signature through discovery and the JWKS, the issuer, the audience and every bound claim. The README is the script:
# change the text and this runs the change.
#
#   tools/walkthrough.sh http://localhost:8080 glpat-…   (root's token; a fresh instance: it creates the group acme)
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 <service url> <root token>" >&2; exit 2; }
repo=$(cd "$(dirname "$0")/.." && pwd)
readme="$repo/README.md"
export LANYARD=$1 TOKEN=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The section, from its heading to the next level-2 heading.
section=$(awk '/^## ID tokens, step by step$/ { on = 1; next } on && /^## / { exit } on' "$readme")

# Blocks are indented under their list item: the opening fence's indentation is removed from each of their lines.
awk -v dir="$work" '
  match($0, /^ *<!-- walkthrough(: [^ ]+)? -->$/) {
    file = $0; sub(/^ *<!-- walkthrough:? ?/, "", file); sub(/ ?-->$/, "", file)
    pending = 1; next
  }
  pending && /^ *```/ {
    indent = match($0, /[^ ]/) - 1; target = (file == "" ? dir "/steps.sh" : dir "/" file)
    pending = 0; inside = 1; next
  }
  inside && substr($0, indent + 1) ~ /^```$/ { inside = 0; close(target); next }
  inside { print substr($0, indent + 1) >> target }
' <<<"$section"
[ -s "$work/steps.sh" ] || { echo "README: no walkthrough blocks found" >&2; exit 1; }
[ -s "$work/.gitlab-ci.yml" ] || { echo "README: no walkthrough .gitlab-ci.yml block found" >&2; exit 1; }

fail() { echo "walkthrough: $*" >&2; exit 1; }
cd "$work"
echo "=== the README's commands"
# shellcheck source=/dev/null
source "$work/steps.sh"
echo

echo "=== checks"
lint=$(jq -n --rawfile content .gitlab-ci.yml '{content: $content}' | curl -sS --fail-with-body -H "PRIVATE-TOKEN: $TOKEN" \
  -H 'Content-Type: application/json' -X POST "$LANYARD/api/v4/projects/$PROJECT_ID/ci/lint" -d @-)
jq -e '.valid and .errors == [] and .warnings == []' <<<"$lint" >/dev/null || fail "the README's .gitlab-ci.yml does not lint clean: $lint"
echo "the README's .gitlab-ci.yml lints without errors or warnings"
[ -n "${VAULT_ID_TOKEN:-}" ] || fail "the job carries no VAULT_ID_TOKEN"
claims=$(jq -R 'split(".")[1] | gsub("-"; "+") | gsub("_"; "/") | @base64d | fromjson' <<<"$VAULT_ID_TOKEN")

# The Vault role of step 4, as written (it binds the README's project 12: here, the project just created).
role=$(sed -n "/^ *vault write auth\/jwt\/role\/app-production - <<'JSON'$/,/^ *JSON$/p" <<<"$section" | sed '1d;$d')
[ -n "$role" ] || fail "README: the Vault role app-production was not found"
bound=$(jq --arg project "$PROJECT_ID" '.bound_claims | .project_id = $project' <<<"$role")
jq -e --argjson bound "$bound" '. as $claims | $bound | to_entries | all(.value == $claims[.key])' <<<"$claims" >/dev/null ||
  fail "the token's claims do not satisfy the role's bound_claims $bound: $claims"
jq -e --argjson role "$role" '.aud as $aud | $role.bound_audiences | index($aud)' <<<"$claims" >/dev/null ||
  fail "the token's aud is not one of the role's bound_audiences"
echo "bound claims and audience of the Vault role app-production: satisfied"

# What the runner hands to Vault: the server and role from the CI/CD variables, the JWT from VAULT_ID_TOKEN.
jq -e '.secrets.DB_PASSWORD.vault.server
  | .url == "https://vault.example.com" and .auth.data.jwt == "$VAULT_ID_TOKEN" and .auth.data.role == "app-production"' \
  job.json >/dev/null || fail "the secret's Vault server and login are not the README's: $(jq -c .secrets job.json)"
echo "the secret logs in to \$VAULT_SERVER_URL as app-production with \$VAULT_ID_TOKEN"

# As Vault's oidc_discovery_url does: discovery, its jwks_uri, then RS256, iss, aud and the time claims.
(cd "$repo" && node --input-type=module -e '
  import { createRemoteJWKSet, jwtVerify } from "jose";
  const [base, token] = process.argv.slice(1);
  const discovery = await (await fetch(`${base}/.well-known/openid-configuration`)).json();
  const keys = createRemoteJWKSet(new URL(discovery.jwks_uri));
  const { protectedHeader } = await jwtVerify(token, keys, {
    issuer: discovery.issuer, audience: "https://vault.example.com", algorithms: ["RS256"],
  });
  console.log(`signature (kid ${protectedHeader.kid}), issuer ${discovery.issuer} and audience: verified`);
' "$LANYARD" "$VAULT_ID_TOKEN")
echo "walkthrough: ok"
