# omnisim in a container, so Slurm, Kubernetes and a workstation run the
# same binary (deploy/slurm/, deploy/k8s/).
#
#   docker build -t omnisim .
#   docker run --rm -v "$PWD/scenarios:/scenarios:ro" -v "$PWD/results:/results" \
#       omnisim sweep /scenarios/sweeps/quick_grid.toml --out /results/quick
#
# Two stages: the Rust toolchain builds the release binary from the locked
# dependencies; the runtime image is Debian slim with that one file and a
# user that is not root (uid 10001; give it a writable --out folder). The
# builder and the runtime share Debian bookworm, hence the same glibc.

FROM rust:1-slim-bookworm AS builder
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin omnisim

FROM debian:bookworm-slim AS runtime
RUN groupadd --system --gid 10001 omnisim \
    && useradd --system --uid 10001 --gid omnisim --no-create-home --shell /usr/sbin/nologin omnisim
COPY --from=builder /src/target/release/omnisim /usr/local/bin/omnisim
USER 10001:10001
WORKDIR /tmp
ENTRYPOINT ["omnisim"]
CMD ["--help"]
