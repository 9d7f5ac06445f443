#!/usr/bin/env bash
# The Docker image without Docker (no engine on the development machines): reproduces the
# Dockerfile's build stage from the committed tree (its RUN line, read from the Dockerfile), lays
# out the runtime stage read-only, then runs the migration CLI and the api, worker and executor
# roles as uid 1000 (when run as root) against this machine's Postgres and Redis, in a schema and a
# key prefix of their own. Checks every probe route, runs a workflow end to end, stops each role
# with SIGTERM and expects exit code 0 well within SHUTDOWN_GRACE_MS, then removes what it created.
#
#   make image-smoke   [SMOKE_REF=<commit>, default HEAD]   (needs Postgres on 127.0.0.1:5432, Redis on 127.0.0.1:6379, psql, redis-cli, curl)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/wormhole-image.XXXXXX)
chmod 755 "$work" # mktemp makes it 0700; the app runs as uid 1000
tag="smoke$$"
pids=()
export POSTGRES_URL=${SMOKE_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}
export REDIS_URL=${SMOKE_REDIS_URL:-redis://127.0.0.1:6379}
export DATABASE_TYPE=postgres EVENT_STREAM_TYPE=redis POSTGRES_SCHEMA="$tag" REDIS_KEY_PREFIX="$tag:"
export API_PORT=${SMOKE_PORT_BASE:-18180} WORKER_HEALTH_PORT=$((${SMOKE_PORT_BASE:-18180} + 1))
export EXECUTOR_HEALTH_PORT=$((${SMOKE_PORT_BASE:-18180} + 2)) SHUTDOWN_GRACE_MS=25000
export WORMHOLE_DATA_DIR="$work/data" LOG_LEVEL=info

cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  psql "$POSTGRES_URL" -qc "DROP SCHEMA IF EXISTS $tag CASCADE" >/dev/null 2>&1 || true
  redis-cli -u "$REDIS_URL" --scan --pattern "$tag:*" | xargs -r redis-cli -u "$REDIS_URL" del >/dev/null || true
  chmod -R u+w "$work" 2>/dev/null || true
  if [ -z "${SMOKE_KEEP:-}" ]; then rm -rf "$work"; else echo "kept $work"; fi
}
trap cleanup EXIT

# A command prefix, not a function: `"${as_app[@]}" node … &` must make $! the node process itself
# (setpriv execs it), so that SIGTERM reaches node and `wait` returns node's exit code.
as_app=()
if [ "$(id -u)" = 0 ]; then as_app=(setpriv --reuid=1000 --regid=1000 --clear-groups); fi
fail() {
  echo "FAIL: $*" >&2
  tail -n 20 "$work"/*.log >&2 || true
  exit 1
}

echo "== build stage (from ${SMOKE_REF:-HEAD}, as the Dockerfile's COPY lines and RUN line)"
mkdir -p "$work/build" "$work/data"
git -C "$repo" archive "${SMOKE_REF:-HEAD}" package.json package-lock.json tsconfig.base.json tsconfig.build.json shared services |
  tar -x -C "$work/build"
build_run=$(awk '/^FROM .* AS build/{b=1; next} /^FROM /{b=0} b' "$repo/Dockerfile" |
  sed -e ':a' -e '/\\$/N; s/\\\n//; ta' | sed -n 's/^RUN //p')
[ -n "$build_run" ] || fail "no RUN line in the Dockerfile's build stage"
# Not this machine's npm cache: that is shared with everything else here.
build_run=${build_run//&& npm cache clean --force/}
(cd "$work/build" && bash -euo pipefail -c "$build_run") >"$work/build.log" 2>&1 || fail "build stage: $build_run"

echo "== runtime stage (read-only, uid 1000)"
export NODE_ENV=production
mkdir -p "$work/app"
cp -a "$work/build/package.json" "$work/build/node_modules" "$work/build/shared" "$work/build/services" "$work/app/"
chmod -R a-w "$work/app"
if [ "$(id -u)" = 0 ]; then chown 1000:1000 "$work/data"; fi
cd "$work/app"

"${as_app[@]}" node services/wormhole/dist/main.js migrate >"$work/migrate.log" 2>&1 || fail "migrate"
grep -q 'backends are up to date' "$work/migrate.log" || fail "migrate did not report the backends up to date"

for role in api worker executor; do
  "${as_app[@]}" node services/wormhole/dist/main.js "$role" >"$work/$role.log" 2>&1 &
  pids+=($!)
done
for port in $API_PORT $WORKER_HEALTH_PORT $EXECUTOR_HEALTH_PORT; do
  for _ in $(seq 1 60); do curl -fs "localhost:$port/ready" >/dev/null && break; sleep 0.5; done
  for route in health ready metrics; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "localhost:$port/$route")
    [ "$code" = 200 ] || fail "localhost:$port/$route answered $code"
  done
done
echo "   /health, /ready, /metrics: 200 on every role"

api="http://localhost:$API_PORT/api/v1/smoke"
field() { node -e 'const b = require("fs").readFileSync(0, "utf8"); try { const v = JSON.parse(b)[process.argv[1]]; process.stdout.write(v === undefined ? "" : String(v)) } catch { process.stdout.write("") }' "$1"; }
body=$(curl -s -X POST "$api/workflows" -H 'content-type: application/json' -d '{"name":"smoke","definition":{
  "document":{"dsl":"1.0.0","namespace":"smoke","name":"smoke","version":"1.0.0"},
  "do":[{"greet":{"set":{"message":"${ \"hello \" + .name }"}}},{"pause":{"wait":{"seconds":1}}}]}}')
wf=$(field id <<<"$body")
[ -n "$wf" ] || fail "creating the workflow answered: $body"
body=$(curl -s -X POST "$api/workflows/$wf/execute" -H 'content-type: application/json' -d '{"input":{"name":"ops"}}')
ex=$(field id <<<"$body")
[ -n "$ex" ] || fail "starting the execution answered: $body"
status=""
for _ in $(seq 1 40); do
  status=$(curl -s "$api/executions/$ex" | field status)
  [ "$status" = completed ] && break
  sleep 0.5
done
[ "$status" = completed ] || fail "execution $ex ended $status"
echo "   a set + wait workflow completed through api, worker and executor"

i=0
for role in api worker executor; do
  pid=${pids[$i]}
  start=$(date +%s%N)
  kill -TERM "$pid"
  code=0
  wait "$pid" || code=$?
  ms=$((($(date +%s%N) - start) / 1000000))
  [ "$code" = 0 ] || fail "$role exited $code after SIGTERM"
  [ "$ms" -lt "$SHUTDOWN_GRACE_MS" ] || fail "$role took $ms ms to stop"
  echo "   $role: SIGTERM -> exit 0 in $ms ms"
  i=$((i + 1))
done
pids=()
echo "image smoke test passed"
