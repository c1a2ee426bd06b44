#!/usr/bin/env bash
# The performance suite in one command: builds the release binaries (the
# generator, the sidecar and the tonic peer of the gRPC scenarios), then runs
# every scenario (ours vs a peer, alternating rounds) and writes
# perf/results/REPORT.md with JSON and SVG beside it.
# Usage: perf/run.sh [--quick] [more `layotto-perf suite` options, e.g. --only resp-direct]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet -p layotto-perf --bin layotto-perf
cargo build --release --quiet --bin layotto
cargo build --release --quiet -p layotto-perf-tonic-peer --bin tonic-runtime-peer
exec target/release/layotto-perf suite --layotto target/release/layotto --out perf/results "$@"
