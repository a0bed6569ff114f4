#!/usr/bin/env bash
# Starts Vínculo on this machine: migrates, collects static files, makes sure there is an
# administrator and some demo data, then runs the background worker, the scheduler (it
# enqueues periodic work: trigger rules, due invitations, reminders, folding answers into the
# metrics, weekly digests) and the web server.
# Ctrl-C, or any of them ending, stops all three.
#
#   HOST and PORT choose the address (default 127.0.0.1:8000).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
# Links in invitation messages are built on SITE_URL: by default, this server's address.
export SITE_URL="${SITE_URL:-http://$HOST:$PORT}"
MANAGE=("$PY" manage.py)

ensure_pdf_libraries
say "Migrating the database"
"${MANAGE[@]}" migrate --noinput
say "Collecting static files"
"${MANAGE[@]}" collectstatic --noinput --verbosity 0
say "Checking the administrator account"
"${MANAGE[@]}" ensure_admin
say "Loading demo data (only into an empty database)"
"${MANAGE[@]}" demo_data --if-empty
say "Checking the metrics' roll-ups (built from the answers if there are none)"
"${MANAGE[@]}" rebuild_rollups --if-empty

WORKER_PID=""
SCHEDULER_PID=""
SERVER_PID=""
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
stop_all() {
    trap - EXIT INT TERM
    if alive "$SERVER_PID"; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if alive "$SCHEDULER_PID"; then
        # It only sleeps between ticks: stopping it at once loses nothing.
        kill -TERM "$SCHEDULER_PID" 2>/dev/null || true
        wait "$SCHEDULER_PID" 2>/dev/null || true
    fi
    if alive "$WORKER_PID"; then
        say "Stopping the background worker"
        # A Ctrl-C in the terminal has reached the worker already, and a second signal would
        # abort its current task: give it a moment before asking it to stop.
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            alive "$WORKER_PID" || break
            sleep 0.2
        done
        if alive "$WORKER_PID"; then
            kill -TERM "$WORKER_PID" 2>/dev/null || true
        fi
        wait "$WORKER_PID" 2>/dev/null || true
    fi
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "Starting the background worker"
"${MANAGE[@]}" db_worker &
WORKER_PID=$!

say "Starting the scheduler"
"${MANAGE[@]}" run_scheduler &
SCHEDULER_PID=$!

# In the background and waited for, so that a signal to this script runs the trap at once
# and stops them all, whichever of them ends first.
"${MANAGE[@]}" runserver "$HOST:$PORT" --noreload &
SERVER_PID=$!

for _ in $(seq 1 100); do
    (: >"/dev/tcp/$HOST/$PORT") 2>/dev/null && break
    alive "$SERVER_PID" || break
    sleep 0.1
done
cat <<MSG

  Vínculo is running at  http://$HOST:$PORT/

  Sign in as 'admin' with the password printed above when the account was created
  (it is shown only once), or as one of the demo people listed above.
  Forgot it?  .venv/bin/python manage.py changepassword admin
  Press Ctrl-C to stop the server, the worker and the scheduler.

MSG

wait -n "$SERVER_PID" "$WORKER_PID" "$SCHEDULER_PID"
