#!/usr/bin/env bash
# Slurm check of the sweep recipe: a real single-node Slurm on this
# machine runs deploy/slurm/sweep.sbatch as an array of 4 shards and
# deploy/slurm/merge.sbatch after it (--dependency=afterok, through
# deploy/slurm/submit.sh); the merged sweep.csv and sweep.json must be
# byte-identical to the unsharded `omnisim sweep` of the same file.
#
# Why a real Slurm: the recipe's wiring (array task id to --shard, the
# shared OUT folder, the dependency, the environment the jobs get) only
# shows when sbatch, slurmctld and slurmd run it; tests/deploy_manifests.rs
# checks the text, this checks the behaviour.
#
# What it does: installs the Debian packages slurm-wlm and munge when
# slurmctld is missing (needs root or sudo), starts munged unless one is
# already answering, writes a single-node slurm.conf under a temporary
# folder (no cgroups: proctrack/linuxproc, task/none; containers seldom
# have a usable cgroup tree), starts slurmctld and slurmd with it, builds
# omnisim (release), runs the sweep unsharded and through Slurm, compares;
# then removes one shard's partial, reruns that shard alone (an array of
# one task, SHARDS set) and the merge, and compares again. It stops every
# daemon it started, on success or failure; on failure it prints the
# daemon and job logs.
#
# Time: about 15 s once Slurm is installed and omnisim built (the array's
# tasks start on the scheduler's few-second ticks); the first run adds the
# packages (about 20 s) and the release build.
#
# Usage: scripts/slurm-check.sh            (from anywhere in the repo)
# Env:   SWEEP=scenarios/sweeps/quick_grid.toml   the sweep to run
#        SHARDS=4                                 the array size
#        TIMEOUT=180     seconds to wait for the jobs
#        SLURM_PORT=6917 slurmctld's port (slurmd uses the next one)
#        KEEP=1          keep the temporary folder and print its path
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
SWEEP=${SWEEP:-scenarios/sweeps/quick_grid.toml}
SHARDS=${SHARDS:-4}
TIMEOUT=${TIMEOUT:-180}
SLURM_PORT=${SLURM_PORT:-6917}
started=$(date +%s.%N)

say() { echo "slurm-check: $*" >&2; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

sudo="" as_munge="runuser -u munge --"
if [ "$(id -u)" -ne 0 ]; then sudo="sudo" as_munge="sudo -u munge"; fi

# 1. Slurm and munge from the Debian packages.
if ! command -v slurmctld >/dev/null 2>&1 || ! command -v slurmd >/dev/null 2>&1 ||
    ! command -v munged >/dev/null 2>&1; then
    say "slurmctld, slurmd or munged not found, installing slurm-wlm and munge"
    t=$(date +%s.%N)
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        slurm-wlm munge >/dev/null
    say "installed in $(elapsed "$t") s"
fi

tmp=$(mktemp -d /tmp/slurm-check.XXXXXX)
chmod 755 "$tmp"
pids=()
fail() {
    say "FAILED: $*"
    for log in "$tmp"/log/*.log "$tmp"/jobs/slurm-*.out; do
        [ -f "$log" ] || continue
        echo "---- $log (last 40 lines)" >&2
        tail -n 40 "$log" >&2
    done
    exit 1
}
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        # slurmctld and slurmd take a moment to save their state and exit.
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    if [ "${KEEP:-0}" = 1 ]; then say "files kept in $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# 2. munge: Slurm authenticates every message with it. Reuse a running
# munged (the package may have started one); start one otherwise, with the
# package's key (made at install) or a new one.
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
    if [ ! -s /etc/munge/munge.key ]; then
        say "no /etc/munge/munge.key, making one"
        $sudo mkdir -p /etc/munge
        $sudo dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
        $sudo chown munge:munge /etc/munge/munge.key
        $sudo chmod 400 /etc/munge/munge.key
    fi
    $sudo mkdir -p /run/munge /var/lib/munge /var/log/munge
    $sudo chown munge:munge /run/munge /var/lib/munge /var/log/munge
    # munged forks into the background; its pid file lets us stop that
    # process (and only it) at the end.
    $as_munge /usr/sbin/munged --pid-file="/run/munge/munged.check.pid" \
        2>"$tmp/munged.err" || {
        cat "$tmp/munged.err" >&2
        fail "munged did not start"
    }
    for _ in $(seq 50); do [ -s /run/munge/munged.check.pid ] && break; sleep 0.1; done
    pids+=("$(cat /run/munge/munged.check.pid)")
    munge -n </dev/null | unmunge >/dev/null || fail "munge does not answer after starting munged"
    say "started munged"
fi

# 3. A single-node cluster: this machine, all its CPUs, one partition; every
# state and log file under $tmp. SLURM_CONF points the daemons' children
# and the client commands (sbatch, scontrol) at it.
node=$(hostname -s)
cpus=$(nproc)
mkdir -p "$tmp/etc" "$tmp/state" "$tmp/spool/$node" "$tmp/log" "$tmp/jobs" "$tmp/run"
export SLURM_CONF="$tmp/etc/slurm.conf"
cat >"$SLURM_CONF" <<EOF
ClusterName=omnisim-check
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$SLURM_PORT
SlurmdPort=$((SLURM_PORT + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool/%n
SlurmctldPidFile=$tmp/run/slurmctld.pid
SlurmdPidFile=$tmp/run/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=600
DependencyParameters=kill_invalid_depend
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=check Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
: >"$tmp/etc/cgroup.conf"

# 4. omnisim, and the unsharded result to compare with.
cargo build --release --quiet || fail "cargo build --release failed"
omnisim="$root/target/release/omnisim"
if [ -n "${CARGO_TARGET_DIR:-}" ]; then omnisim="$CARGO_TARGET_DIR/release/omnisim"; fi
t=$(date +%s.%N)
"$omnisim" sweep "$SWEEP" --out "$tmp/whole" --quiet || fail "the unsharded sweep failed"
whole_s=$(elapsed "$t")

# 5. The daemons, in the foreground of their own background processes so
# their pids are ours to stop.
slurmctld -D -c -f "$SLURM_CONF" >"$tmp/log/slurmctld.stderr.log" 2>&1 &
pids+=("$!")
slurmd -D -f "$SLURM_CONF" >"$tmp/log/slurmd.stderr.log" 2>&1 &
pids+=("$!")
up=0
for _ in $(seq 150); do
    if sinfo -h -n "$node" -o '%t' 2>/dev/null | grep -Eq '^(idle|mix|alloc)'; then
        up=1
        break
    fi
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || fail "a Slurm daemon exited"; done
    sleep 0.2
done
[ "$up" = 1 ] || fail "node $node did not become idle ($(sinfo -h -o '%t %E' 2>&1))"
say "slurmctld and slurmd up on $node with $cpus CPUs"

# Wait for the merge job $1 of the array $2 to complete; fail with the
# queue and the array's state if it ends otherwise or takes too long.
wait_merge() {
    local state="" deadline=$(($(date +%s) + TIMEOUT))
    while :; do
        state=$(scontrol show job "$1" -o 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2)
        case "$state" in
        COMPLETED) return 0 ;;
        FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | BOOT_FAIL | DEADLINE)
            scontrol show job -o "$2" >&2 || true
            fail "the merge job $1 ended $state"
            ;;
        esac
        if [ "$(date +%s)" -ge "$deadline" ]; then
            squeue >&2 || true
            scontrol show job -o "$2" >&2 || true
            fail "the jobs did not finish in ${TIMEOUT} s (merge job $1: ${state:-unknown})"
        fi
        sleep 0.2
    done
}
same_as_whole() {
    local f
    for f in sweep.csv sweep.json; do
        cmp "$tmp/whole/$f" "$out/$f" || fail "$f differs from the unsharded run ($1)"
    done
}

# 6. The array and the merge, as a user would submit them.
t=$(date +%s.%N)
out="$tmp/parts"
case "$SWEEP" in /*) sweep_abs=$SWEEP ;; *) sweep_abs="$root/$SWEEP" ;; esac
read -r array merge < <(cd "$tmp/jobs" &&
    OMNISIM="$omnisim" "$root/deploy/slurm/submit.sh" "$sweep_abs" "$out" "$SHARDS") ||
    fail "submit.sh failed"
[ -n "${merge:-}" ] || fail "submit.sh printed no job ids"
wait_merge "$merge" "$array"
slurm_s=$(elapsed "$t")
# afterok already demands that every task completed; count them anyway.
tasks=$(scontrol show job "$array" -o | grep -c 'JobState=COMPLETED' || true)
[ "$tasks" -eq "$SHARDS" ] || fail "$tasks of $SHARDS array tasks completed"
partials=$(find "$out" -name 'partial-*.json' | wc -l)
[ "$partials" -eq "$SHARDS" ] || fail "$partials partials in $out, want $SHARDS"
same_as_whole "$SHARDS-task array"

# 7. A lost shard, rerun alone: remove the last partial and the merged
# files, submit only that array task (SHARDS set, since the array is no
# longer 0..N-1) and the merge again, straight with sbatch as the recipe's
# comments show; the result must not change.
last=$((SHARDS - 1))
rm -f "$out"/partial-*"$last"-of-*.json "$out/sweep.csv" "$out/sweep.json"
[ "$(find "$out" -name 'partial-*.json' | wc -l)" -eq "$last" ] ||
    fail "removing the partial of shard $last"
t=$(date +%s.%N)
rerun=$(cd "$tmp/jobs" && OMNISIM="$omnisim" SWEEP="$sweep_abs" OUT="$out" SHARDS="$SHARDS" \
    sbatch --parsable --array="$last" --export=ALL "$root/deploy/slurm/sweep.sbatch") ||
    fail "resubmitting shard $last"
rerun=${rerun%%;*}
merge2=$(cd "$tmp/jobs" && OMNISIM="$omnisim" OUT="$out" \
    sbatch --parsable --dependency="afterok:$rerun" --export=ALL "$root/deploy/slurm/merge.sbatch") ||
    fail "resubmitting the merge"
merge2=${merge2%%;*}
wait_merge "$merge2" "$rerun"
rerun_s=$(elapsed "$t")
same_as_whole "shard $last rerun alone"

echo "slurm-check: PASS: $SWEEP, $SHARDS-task array + afterok merge on single-node Slurm" \
    "($(slurmctld -V)); sweep.csv and sweep.json byte-identical to the unsharded run," \
    "also after rerunning shard $last alone" \
    "(unsharded ${whole_s} s, submit to merged ${slurm_s} s, shard rerun + merge ${rerun_s} s," \
    "whole check $(elapsed "$started") s)"
