# Shared helpers for the scripts in this folder; source it, don't run it.
# shellcheck shell=bash

# The repository root, whatever the caller's working directory.
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="$REPO_ROOT/.venv/bin/python"

if [ -t 1 ]; then
    say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
else
    say() { printf '==> %s\n' "$*"; }
fi
warn() { printf '==> %s\n' "$*" >&2; }

# Debian's package index is refreshed once per shell, and only when something is missing.
_APT_UPDATED=0
apt_install() {
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo="sudo"
    fi
    if [ "$_APT_UPDATED" -eq 0 ]; then
        say "apt-get update"
        DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
        _APT_UPDATED=1
    fi
    say "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

# WeasyPrint (the dashboards' PDF) loads Pango through the system; fonts come from Debian.
ensure_pdf_libraries() {
    if ! ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || [ ! -d /usr/share/fonts/truetype/dejavu ]; then
        apt_install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
    fi
}

# E-mail in is tested against a real IMAP server (dovecot), started by the tests themselves
# on loopback ports; openssl makes its throwaway certificate.
ensure_mail_server() {
    if ! command -v dovecot >/dev/null 2>&1 && [ ! -x /usr/sbin/dovecot ] || ! command -v openssl >/dev/null 2>&1; then
        apt_install dovecot-imapd openssl
    fi
}
