#!/usr/bin/env bash
# `omnisim serve` with its JavaScript client (js/): the accept-button
# example against a quickstart server started here, then the Node suite
# (node --test), which starts servers of its own. Installs Debian's Node
# when none is there; js/ needs Node 18 or newer and the ws package, which
# npm installs from js/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
  echo "serve-check: Node $(node --version) is too old; js/ needs Node 18 or newer" >&2
  exit 1
fi
(cd js && npm ci --no-audit --no-fund --loglevel=error)

cargo build --release --quiet
export OMNISIM_BIN="$PWD/target/release/omnisim"

work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
"$OMNISIM_BIN" serve scenarios/quickstart.toml --clock stepped --listen 127.0.0.1:0 \
  --out "$work/results" >"$work/serve.log" 2>&1 &
pid=$!
url=$(bash scripts/serve-url.sh "$work/serve.log")
node js/examples/accept-button/run.js "$url"
kill -TERM "$pid"
code=0
wait "$pid" || code=$?
if [ "$code" != 143 ]; then
  echo "serve-check: SIGTERM should end the server with 143, got $code" >&2
  cat "$work/serve.log" >&2
  exit 1
fi
for f in summary.json intervals.csv agents.csv work.csv engine.json scenario.toml; do
  test -s "$work/results/$f" || { echo "serve-check: $f was not written" >&2; exit 1; }
done

(cd js && npm test)
