#!/usr/bin/env bash
# Compiles the gettext catalogues (.po -> .mo) of Vínculo, installing gettext if needed.
# Does nothing when there are no catalogues yet.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

if ! find vinculo -path '*/locale/*' -name '*.po' -print -quit | grep -q .; then
    say "No translation catalogues to compile yet"
    exit 0
fi
if ! command -v msgfmt >/dev/null 2>&1; then
    apt_install gettext
fi
# From inside vinculo/ so that only the project's own catalogues are walked, not .venv's.
cd vinculo
"$PY" ../manage.py compilemessages --verbosity 0
say "Compiled the translation catalogues"
