#!/usr/bin/env bash
# Starts the MongoDB-compatible test server (DocumentDB behind a wire-protocol gateway, from
# ../shared/tools/mongo) and prints its URL on stdout. First start ~60-90 s, later ~2 s.
# Usage: MONGODB_URL=$(bash .ci/mongo.sh)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
start="$root/../shared/tools/mongo/start.sh"
if [[ ! -x $start && ! -f $start ]]; then
  echo "mongo test server: $start not found (the shared/ folder must sit beside the repository)" >&2
  exit 1
fi
url=$(bash "$start")
if [[ -z $url ]]; then
  echo "mongo test server did not print its URL" >&2
  exit 1
fi
echo "$url"
