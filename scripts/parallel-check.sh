#!/usr/bin/env bash
# The GNU parallel recipe of docs/scale-out.md, run as written: the doc's
# `seq 0 3 | parallel …` line cuts a small sweep into 4 shards that run at
# once; their merge must equal the unsharded sweep byte for byte.
# Installs Debian's `parallel` if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v parallel >/dev/null; then
    echo "installing GNU parallel (Debian package parallel)"
    apt-get update -qq && apt-get install -y -qq parallel >/dev/null
fi
cargo build --release -q

recipe=$(grep -E '^seq 0 3 \| parallel ' docs/scale-out.md | head -n 1)
if [ -z "$recipe" ]; then
    echo "FAIL: no 'seq 0 3 | parallel' line in docs/scale-out.md" >&2
    exit 1
fi
sweep=$(sed -E 's/.* sweep ([^ ]+) .*/\1/' <<<"$recipe")
parts=$(sed -E 's/.* --out ([^ ]+).*/\1/' <<<"$recipe")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s%N)
# The recipe, with its output folder moved into the temporary folder.
(eval "${recipe//$parts/$tmp/parts}")
./target/release/omnisim merge "$tmp/parts" --out "$tmp/merged" --quiet
ms=$((($(date +%s%N) - start) / 1000000))
./target/release/omnisim sweep "$sweep" --out "$tmp/whole" --quiet

for f in sweep.csv sweep.json; do
    if ! cmp "$tmp/whole/$f" "$tmp/merged/$f"; then
        echo "FAIL: $f of the 4 merged shards differs from the unsharded run" >&2
        exit 1
    fi
done
ls "$tmp/parts"
echo "PASS: $sweep in 4 shards under GNU parallel, merged, in $ms ms:" \
    "sweep.csv and sweep.json identical to the unsharded run"
