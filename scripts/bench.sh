#!/usr/bin/env bash
# Runs the benchmarks (bench/) against a local PostgreSQL, installing and starting it if
# needed. Arguments go to `python -m bench`.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/postgres.sh"
cd "$REPO_ROOT"

ensure_postgres
ensure_database vinculo_bench
ensure_database vinculo_bench_metrics
BENCH_DATABASE_URL="$(postgres_url vinculo_bench)"
BENCH_METRICS_DATABASE_URL="$(postgres_url vinculo_bench_metrics)"
export BENCH_DATABASE_URL BENCH_METRICS_DATABASE_URL

say "Benchmarks (BENCH_DATABASE_URL=$BENCH_DATABASE_URL)"
"$PY" -m bench "$@"
