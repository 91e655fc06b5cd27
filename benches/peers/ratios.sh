#!/usr/bin/env bash
# omnisim, the DES baseline and the SimPy model on the same
# Erlang-equivalent days, side by side in one run; prints the ratios that
# docs/BENCHMARKS.md states.
#
#   bash benches/peers/ratios.sh               # 100, 1000 and 10000 agents
#   bash benches/peers/ratios.sh 100 1000      # chosen sizes
#
# DES_BASELINE: the folder of the DES baseline's Cargo.toml (default
# ../shared/peers/des_baseline beside this repository); it is built from
# there into target/peers, never copied in. REPEAT (default 3): runs per
# size of omnisim and the DES baseline, the median kept. SimPy runs once per
# size (10,000 agents take about two minutes); SKIP_SIMPY=1 leaves it out.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
if [ "$#" -eq 0 ]; then
    set -- 100 1000 10000
fi
sizes=$(IFS=,; echo "$*")
repeat="${REPEAT:-3}"
des_dir="${DES_BASELINE:-$root/../shared/peers/des_baseline}"
if [ ! -f "$des_dir/Cargo.toml" ]; then
    echo "no DES baseline at $des_dir; set DES_BASELINE to the folder of its Cargo.toml" >&2
    exit 1
fi

cargo build --release -q
cargo build --release -q --manifest-path "$des_dir/Cargo.toml" --target-dir "$root/target/peers"
des_bin="$root/target/peers/release/des_baseline"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
./target/release/omnisim bench --sizes "$sizes" --repeat "$repeat" \
    --des-baseline "$des_bin" --out "$out" --quiet
# The memory target is judged with work.csv streamed, as `omnisim run`
# writes it; that costs time, so it is a run of its own, not timed above.
mkdir -p "$out/mem"
case ",$sizes," in
*,10000,*)
    ./target/release/omnisim bench --sizes 10000 --with-work-csv --out "$out/mem" --quiet
    ;;
esac
if [ "${SKIP_SIMPY:-0}" = 1 ]; then
    : >"$out/simpy.txt"
else
    bash benches/peers/run.sh "$@" >"$out/simpy.txt"
fi

python3 - "$out/bench.json" "$out/simpy.txt" "$repeat" "$out/mem/bench.json" <<'PY'
import json, os, sys
bench = json.load(open(sys.argv[1]))
mem = json.load(open(sys.argv[4])) if os.path.exists(sys.argv[4]) else None
if mem:
    # The memory target as measured with work.csv streamed.
    by_name = {t["name"]: t for t in mem["targets"]}
    bench["targets"] = [by_name.get(t["name"], t) if t["name"].startswith("peak memory") else t
                        for t in bench["targets"]]
simpy = {}
lines = open(sys.argv[2]).read().splitlines()
for line in lines:
    parts = line.split()
    if len(parts) >= 4 and parts[0].isdigit():
        simpy[int(parts[0])] = (int(parts[1]), float(parts[2]))
m = bench["machine"]
print(f"Erlang-equivalent 8-hour day, occupancy 0.9; {m['cpus']} CPUs ({m.get('cpu_model') or '?'})")
print(f"omnisim and DES baseline: median of {sys.argv[3]} runs each; SimPy: one run"
      + (f" ({lines[0]})" if lines else " (not run)"))
head = ("agents", "omnisim [s]", "DES [s]", "SimPy [s]", "omnisim ÷ DES", "SimPy ÷ omnisim", "cost vs 100")
print("{:>7} {:>12} {:>9} {:>10} {:>14} {:>16} {:>12}".format(*head))
for r in bench["sizes"]:
    n = r["agents"]
    s = simpy.get(n)
    vs_simpy = (r["items_per_s"] / (s[0] / s[1])) if s else None
    print("{:>7} {:>12.3f} {:>9} {:>10} {:>14} {:>16} {:>12.2f}".format(
        n, r["wall_s"],
        f"{r['des_wall_s']:.3f}" if r.get("des_wall_s") is not None else "-",
        f"{s[1]:.3f}" if s else "-",
        f"{r['times_des']:.1f}×" if r.get("times_des") is not None else "-",
        f"{vs_simpy:.1f}×" if vs_simpy else "-",
        r["relative_cost"]))
print("(ratios per item: the three draw different random numbers, so their days differ by a few items)")
print("targets:")
for t in bench["targets"]:
    measured = "-" if t["measured"] is None else f"{t['measured']:.2f} {t['unit']}"
    limit = f"≤ {t['limit']:g} {t['unit']}"
    print(f"  {t['name']:<44} {limit:<10} measured {measured:<12} {t['status'].replace('_', ' ')}")
one = bench["sizes"]
at1k = next((r for r in one if r["agents"] == 1000), None)
if at1k and 1000 in simpy:
    x = at1k["items_per_s"] / (simpy[1000][0] / simpy[1000][1])
    print(f"  {'1,000-agent day, SimPy ÷ omnisim':<44} {'≥ 20 ×':<10} measured {f'{x:.2f} ×':<12} {'met' if x >= 20 else 'not met'}")
PY
