#!/usr/bin/env bash
# The SimPy peer of `omnisim bench`: the same Erlang-equivalent day in
# SimPy, at the same sizes. Creates its own virtual environment in
# benches/peers/.venv (ignored by git) on first use.
#
#   bash benches/peers/run.sh               # 100, 1000 and 10000 agents
#   bash benches/peers/run.sh 100 1000      # chosen sizes
#
# Compare with: cargo run --release -- bench
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="$here/.venv"
# Pinned so figures taken at different times compare the same SimPy.
simpy_version="4.1.2"

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import simpy, sys; sys.exit(simpy.__version__ != '$simpy_version')" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "simpy==$simpy_version"
fi

if [ "$#" -eq 0 ]; then
    set -- 100 1000 10000
fi
exec "$venv/bin/python" "$here/simpy_erlang_day.py" "$@"
