#!/usr/bin/env bash
# Installs (with apt), starts and configures a local PostgreSQL 15 for tests and benchmarks.
#
#   scripts/postgres.sh [DATABASE...]   ensure the server and role, and create the databases
#
# Or source it and call ensure_postgres / ensure_database. Safe to run any number of times.
# The role vinculo (password vinculo) may create databases, as pytest-django needs.
# shellcheck shell=bash

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_VERSION="${PG_VERSION:-15}"
PG_CLUSTER="${PG_CLUSTER:-main}"
PG_ROLE="vinculo"
PG_PASSWORD="vinculo"

_as_postgres() {
    # The server refuses to run as root; its client tools run as the postgres user.
    if [ "$(id -u)" -eq 0 ]; then
        su postgres -c "$1"
    else
        sudo -u postgres sh -c "$1"
    fi
}

_psql() {
    _as_postgres "psql -p $(_pg_port) -v ON_ERROR_STOP=1 -qtAX -c \"$1\""
}

_pg_port() {
    pg_lsclusters --no-header | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" \
        '$1 == v && $2 == c { print $3 }'
}

ensure_postgres() {
    # pg_ctlcluster alone may come without a server; the server binary settles it.
    if ! command -v pg_ctlcluster >/dev/null 2>&1 \
        || [ ! -x "/usr/lib/postgresql/$PG_VERSION/bin/postgres" ]; then
        apt_install "postgresql-$PG_VERSION"
    fi
    if ! pg_lsclusters --no-header | awk '{ print $1 " " $2 }' \
        | grep -qx "$PG_VERSION $PG_CLUSTER"; then
        say "Creating PostgreSQL cluster $PG_VERSION $PG_CLUSTER"
        pg_createcluster "$PG_VERSION" "$PG_CLUSTER"
    fi
    local status
    status="$(pg_lsclusters --no-header | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" \
        '$1 == v && $2 == c { print $4 }')"
    if [ "$status" != "online" ]; then
        say "Starting PostgreSQL $PG_VERSION $PG_CLUSTER"
        # pg_ctlcluster drops to the postgres user itself, so it is fine as root.
        pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
    fi
    local tries=0
    until _as_postgres "pg_isready -q -p $(_pg_port)"; do
        tries=$((tries + 1))
        if [ "$tries" -ge 30 ]; then
            warn "PostgreSQL did not accept connections within 30 s"
            return 1
        fi
        sleep 1
    done
    if [ "$(_psql "SELECT 1 FROM pg_roles WHERE rolname = '$PG_ROLE'")" != "1" ]; then
        say "Creating PostgreSQL role $PG_ROLE"
        _psql "CREATE ROLE $PG_ROLE LOGIN PASSWORD '$PG_PASSWORD' CREATEDB"
    fi
}

# ensure_database NAME: an empty database owned by the vinculo role, if it is not there yet.
ensure_database() {
    local name="$1"
    if [ "$(_psql "SELECT 1 FROM pg_database WHERE datname = '$name'")" != "1" ]; then
        say "Creating PostgreSQL database $name"
        _psql "CREATE DATABASE $name OWNER $PG_ROLE"
    fi
}

postgres_url() {
    echo "postgresql://$PG_ROLE:$PG_PASSWORD@127.0.0.1:$(_pg_port)/$1"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    ensure_postgres
    for db in "$@"; do
        ensure_database "$db"
    done
fi
