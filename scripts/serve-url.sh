#!/usr/bin/env bash
# Prints the ws:// address `omnisim serve` announced in LOG (its stdout),
# waiting up to 10 s for it; fails with the log when it never came.
#   url=$(bash scripts/serve-url.sh serve.log)
set -euo pipefail
log=$1
for _ in $(seq 200); do
  url=$(grep -o 'ws://[0-9.:]*/' "$log" 2>/dev/null || true)
  if [ -n "$url" ]; then
    echo "$url"
    exit 0
  fi
  sleep 0.05
done
echo "omnisim serve did not start:" >&2
cat "$log" >&2
exit 1
