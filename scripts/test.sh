#!/usr/bin/env bash
# The whole check, as CI runs it: lint and types, the suite on SQLite, the suite on a real
# PostgreSQL server, then the browser tests in Debian's Chromium. Installs what is missing.
#
#   scripts/test.sh [PYTEST_ARGS...]       extra arguments go to every pytest run
#   VINCULO_TEST_STAGES="lint sqlite"      run only some stages (lint sqlite postgres browser)
#
# Every stage runs even when an earlier one fails; the exit status is non-zero if any failed.
set -uo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/postgres.sh"
cd "$REPO_ROOT" || exit 1

STAGES="${VINCULO_TEST_STAGES:-lint sqlite postgres browser}"
PYTEST=("$PY" -m pytest -ra --durations=5)
SUMMARY=()
FAILED=0

# run_stage NAME COMMAND...: runs one stage, timing it and recording the outcome.
run_stage() {
    local name="$1"
    shift
    say "Stage: $name"
    local start=$SECONDS status=0
    "$@" || status=$?
    local took=$((SECONDS - start)) outcome="ok"
    if [ "$status" -ne 0 ]; then
        FAILED=1
        outcome="FAILED (exit $status)"
        # pytest's 5 means nothing was collected: a suite that silently vanished is a failure.
        [ "$status" -eq 5 ] && outcome="FAILED (no tests collected)"
    fi
    SUMMARY+=("$(printf '%-10s %-30s %5ss' "$name" "$outcome" "$took")")
}

lint() {
    local status=0
    local typed=(vinculo)
    if compgen -G "bench/*.py" >/dev/null; then
        typed+=(bench)
    fi
    "$REPO_ROOT/.venv/bin/ruff" check . || status=1
    "$REPO_ROOT/.venv/bin/ruff" format --check . || status=1
    "$REPO_ROOT/.venv/bin/mypy" "${typed[@]}" || status=1
    return "$status"
}

suite_on_sqlite() {
    ensure_pdf_libraries || return 1
    ensure_mail_server || return 1
    env -u DATABASE_URL "${PYTEST[@]}" -m "not browser" "$@"
}

suite_on_postgres() {
    ensure_pdf_libraries || return 1
    ensure_mail_server || return 1
    ensure_postgres || return 1
    DATABASE_URL="$(postgres_url vinculo)" "${PYTEST[@]}" -m "not browser" "$@"
}

browser_tests() {
    ensure_pdf_libraries || return 1
    if [ ! -x /usr/bin/chromium ]; then
        apt_install chromium fonts-dejavu-core || return 1
    fi
    env -u DATABASE_URL "${PYTEST[@]}" -m browser "$@"
}

for stage in $STAGES; do
    case "$stage" in
        lint) run_stage lint lint ;;
        sqlite) run_stage sqlite suite_on_sqlite "$@" ;;
        postgres) run_stage postgres suite_on_postgres "$@" ;;
        browser) run_stage browser browser_tests "$@" ;;
        *) warn "Unknown stage: $stage"; FAILED=1 ;;
    esac
done

echo
say "Summary"
printf '%s\n' "${SUMMARY[@]}"
if [ "$FAILED" -ne 0 ]; then
    warn "Some stages failed."
    exit 1
fi
say "All stages passed."
