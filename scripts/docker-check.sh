#!/usr/bin/env bash
# Container check of the Dockerfile. With a working container engine
# (`docker info` answers, or podman) that has or can pull the base images:
# build the image, run the quick sweep inside it, and compare sweep.csv and
# sweep.json byte for byte with the same sweep run by the host's release
# build. Otherwise: lint the Dockerfile (hadolint when installed, then
# structural checks) and say plainly that the image was not built.
#
# Why both: building needs an engine and the network (base images, crates),
# which a CI machine may lack; the structural checks still catch the
# mistakes that break the deploy recipes (no multi-stage build, more than
# the binary in the runtime image, running as root, no omnisim entry
# point). tests/deploy_manifests.rs checks the same structure from Rust.
#
# Usage: scripts/docker-check.sh            (from anywhere in the repo)
# Env:   ENGINE=docker|podman|lint   force a choice (default: detect)
#        START_DOCKERD=1   try to start dockerd (if installed) when no
#                          daemon answers; stopped again at the end
#        IMAGE=omnisim:check         the tag to build
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
IMAGE=${IMAGE:-omnisim:check}
SWEEP=scenarios/sweeps/quick_grid.toml

say() { echo "docker-check: $*" >&2; }

tmp=$(mktemp -d /tmp/docker-check.XXXXXX)
dockerd_pid=""
cleanup() {
    if [ -n "$dockerd_pid" ]; then
        kill "$dockerd_pid" 2>/dev/null || true
        wait "$dockerd_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# 1. Which engine.
engine=${ENGINE:-}
why="ENGINE=lint"
if [ -z "$engine" ]; then
    if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
        engine=docker
    elif [ "${START_DOCKERD:-0}" = 1 ] && command -v dockerd >/dev/null 2>&1 &&
        command -v docker >/dev/null 2>&1; then
        say "no docker daemon answers; starting dockerd"
        dockerd >"$tmp/dockerd.log" 2>&1 &
        dockerd_pid=$!
        for _ in $(seq 100); do
            docker info >/dev/null 2>&1 && break
            kill -0 "$dockerd_pid" 2>/dev/null || break
            sleep 0.2
        done
        if docker info >/dev/null 2>&1; then
            engine=docker
        else
            say "dockerd did not come up (last lines of its log below); linting instead"
            tail -n 5 "$tmp/dockerd.log" >&2
            engine=lint
            why="dockerd did not come up"
        fi
    elif command -v podman >/dev/null 2>&1 && podman info >/dev/null 2>&1; then
        engine=podman
    else
        engine=lint
        why="no container engine answers"
    fi
fi

# 2. An engine needs the base images, local or pulled (a registry may be
# out of reach even where the daemon runs): without them, lint.
if [ "$engine" != lint ]; then
    awk 'toupper($1) == "FROM" { print $2 }' Dockerfile | sort -u >"$tmp/bases"
    while read -r base; do
        "$engine" image inspect "$base" </dev/null >/dev/null 2>&1 && continue
        if ! "$engine" pull -q "$base" </dev/null >"$tmp/pull.log" 2>&1; then
            say "$engine runs but cannot get the base image $base ($(tail -n 1 "$tmp/pull.log"));" \
                "linting instead"
            why="$engine cannot get the base image $base"
            engine=lint
            break
        fi
    done <"$tmp/bases"
fi

# 3a. No engine: lint.
if [ "$engine" = lint ]; then
    fail=0
    bad() {
        say "Dockerfile: $*"
        fail=1
    }
    if command -v hadolint >/dev/null 2>&1; then
        hadolint Dockerfile || fail=1
    else
        say "hadolint not installed: structural checks only"
    fi
    # Instructions with their continuation lines joined, comments dropped.
    awk '/^[[:space:]]*#/ { next }
         { line = line $0 }
         /\\$/ { sub(/\\$/, "", line); next }
         line != "" { print line; line = "" }' Dockerfile >"$tmp/instructions"
    froms=$(grep -ciE '^[[:space:]]*FROM[[:space:]]' "$tmp/instructions" || true)
    [ "$froms" -ge 2 ] || bad "not multi-stage ($froms FROM)"
    head -n 1 "$tmp/instructions" | grep -qiE '^FROM[[:space:]]+[^[:space:]]+[[:space:]]+AS[[:space:]]+builder$' ||
        bad "the first instruction is not 'FROM <image> AS builder'"
    if ! grep -qE '^RUN .*cargo build .*--release' "$tmp/instructions" ||
        ! grep -qE '^RUN .*cargo build .*--locked' "$tmp/instructions"; then
        bad "the builder does not run 'cargo build --release --locked'"
    fi
    # The runtime stage: from the last FROM to the end.
    awk 'toupper($1) == "FROM" { stage = "" } { stage = stage $0 "\n" } END { printf "%s", stage }' \
        "$tmp/instructions" >"$tmp/runtime"
    copies=$(grep -ciE '^(COPY|ADD)[[:space:]]' "$tmp/runtime" || true)
    [ "$copies" -eq 1 ] || bad "the runtime stage has $copies COPY/ADD, want only the binary's"
    grep -qiE '^COPY[[:space:]]+--from=builder[[:space:]]+[^[:space:]]*/release/omnisim[[:space:]]' \
        "$tmp/runtime" || bad "the runtime stage does not COPY --from=builder the release omnisim binary"
    user=$(awk 'toupper($1) == "USER" { u = $2 } END { print u }' "$tmp/runtime")
    case "${user%%:*}" in
    '') bad "the runtime stage sets no USER (it would run as root)" ;;
    root | 0) bad "the runtime stage runs as root (USER $user)" ;;
    esac
    grep -qE '^ENTRYPOINT[[:space:]]+\[[[:space:]]*"(/usr/local/bin/)?omnisim"[[:space:]]*\]' \
        "$tmp/runtime" || bad "the runtime stage has no ENTRYPOINT [\"omnisim\"]"
    for ignored in target results .git; do
        grep -qE "^/?$ignored/?$" .dockerignore || bad ".dockerignore does not exclude $ignored"
    done
    if [ "$fail" -ne 0 ]; then
        say "FAILED"
        exit 1
    fi
    say "LINT ONLY: the image was not built or run ($why);" \
        "Dockerfile structure OK (multi-stage, builder with cargo build --release --locked," \
        "runtime copies only the binary, USER $user, ENTRYPOINT omnisim)"
    exit 0
fi

# 3b. An engine: build, run the sweep inside, compare with the host.
say "building $IMAGE with $engine"
t0=$(date +%s)
"$engine" build -t "$IMAGE" . >"$tmp/build.log" 2>&1 || {
    tail -n 40 "$tmp/build.log" >&2
    say "FAILED: $engine build"
    exit 1
}
build_s=$(($(date +%s) - t0))

cargo build --release --quiet
omnisim="${CARGO_TARGET_DIR:-$root/target}/release/omnisim"
"$omnisim" sweep "$SWEEP" --out "$tmp/host" --quiet

# The image's user is not root: give it a folder it may write.
mkdir -m 777 "$tmp/image"
"$engine" run --rm -v "$root/scenarios:/scenarios:ro" -v "$tmp/image:/results" "$IMAGE" \
    sweep "/$SWEEP" --out /results --quiet
for f in sweep.csv sweep.json; do
    cmp "$tmp/host/$f" "$tmp/image/$f" || {
        say "FAILED: $f from the image differs from the host's"
        exit 1
    }
done
size=$("$engine" image inspect "$IMAGE" --format '{{.Size}}' 2>/dev/null || echo "?")
say "PASS: $IMAGE built with $engine in ${build_s} s (${size} bytes); the quick sweep inside it" \
    "gives sweep.csv and sweep.json byte-identical to the host's"
