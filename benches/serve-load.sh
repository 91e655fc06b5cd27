#!/usr/bin/env bash
# omnisim serve under load, next to load mode's in-process figures, in one
# sitting: `omnisim load` on scenarios/load.toml at SPEED for 30 s, then the
# same scenario served at SPEED with one Node process as the console of all
# 1,000 agents (js/load/load-test.js) for 30 s after a 5 s warm-up.
#
#   SPEED=100 bash benches/serve-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
speed=${SPEED:-100}
out=results/serve-load
mkdir -p "$out"
(cd js && npm ci --no-audit --no-fund --loglevel=error)
cargo build --release --quiet
bin=target/release/omnisim

echo "== in process: omnisim load scenarios/load.toml --speed $speed --duration 30s"
"$bin" load scenarios/load.toml --speed "$speed" --duration 30s --out "$out/in-process"

echo "== through the socket: omnisim serve scenarios/load.toml --speed $speed, 1,000 consoles in one Node process"
"$bin" serve scenarios/load.toml --speed "$speed" --listen 127.0.0.1:0 --out "$out/served" >"$out/serve.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
url=$(bash scripts/serve-url.sh "$out/serve.log")
node js/load/load-test.js "$url" --agents 1000 --speed "$speed" --duration 30 --warmup 5 | tee "$out/socket.txt"
kill -INT "$pid"
wait "$pid" || true
