#!/usr/bin/env bash
# Starts the service as a newcomer would (`npm start`, no DATABASE_URL) in a scratch data directory, waits for
# /-/readiness and checks that the generated root token works.
set -euo pipefail
cd "$(dirname "$0")/.."
data_dir=$(mktemp -d)
log="$data_dir/server.log"
port=$((20000 + RANDOM % 20000))
env -u DATABASE_URL -u LANYARD_ROOT_TOKEN PORT="$port" LANYARD_DATA_DIR="$data_dir" setsid npm start >"$log" 2>&1 &
pid=$!
cleanup() { kill -- -"$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$data_dir"; }
trap cleanup EXIT

for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:${port}/-/readiness" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$log"; echo "the service exited during start"; exit 1; fi
  sleep 1
done
readiness=$(curl -fsS "http://127.0.0.1:${port}/-/readiness") || { cat "$log"; echo "not ready after 60 s"; exit 1; }
echo "readiness: $readiness"
token=$(grep -o 'glpat-[A-Za-z0-9_-]*' "$log" | head -n 1)
[ -n "$token" ] || { cat "$log"; echo "no root token was printed"; exit 1; }
user=$(curl -fsS -H "PRIVATE-TOKEN: $token" "http://127.0.0.1:${port}/api/v4/user")
echo "GET /api/v4/user with the printed root token: $user"
case "$user" in *'"username":"root"'*) ;; *) echo "unexpected user"; exit 1 ;; esac
echo "embedded start: ok"
