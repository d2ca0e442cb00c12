#!/usr/bin/env bash
# Set up apk-geo from a fresh clone: a virtualenv with the pinned dependencies (requirements-dev.lock:
# the runtime pins of requirements.lock plus the development tools, every file hash-checked),
# the package itself (editable) and the front-end assets from the npm registry into
# app_pages/static/vendor/ (served locally by the dashboard; `apk-geo assets install`).
# Idempotent: a second run with unchanged lock files does nothing and takes a second.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
# pip warns once per package about an unreachable extra index of this machine's pip config.
quiet_pip() { "$@" 2> >(grep -v "^WARNING: Location" >&2); }

# A Python 3.11 interpreter for the development environment (the lock files are resolved for it;
# the package itself runs on 3.11–3.13, which scripts/other_python.sh checks): $PYTHON, python3.11,
# or python3 if it is 3.11.
pick_python() {
  for cand in "${PYTHON:-}" python3.11 python3; do
    [ -n "$cand" ] || continue
    if command -v "$cand" >/dev/null 2>&1 &&
       "$cand" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      echo "$cand"; return 0
    fi
  done
  echo "apk-geo needs Python 3.11 (set PYTHON=/path/to/python3.11)" >&2
  return 1
}

source scripts/_apt.sh

PY=$(pick_python)
if [ ! -x .venv/bin/python ]; then
  log "creating .venv with $PY"
  "$PY" -m venv .venv
fi

stamp=.venv/.apk-geo-setup
want=$(cat requirements.lock requirements-dev.lock pyproject.toml frontend/package-lock.json 2>/dev/null |
  sha256sum | cut -c1-16)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || [ ! -f app_pages/static/vendor/manifest.json ]; then
  log "installing pinned, hash-checked Python dependencies (requirements-dev.lock)"
  quiet_pip .venv/bin/python -m pip install -q --disable-pip-version-check --no-cache-dir \
    --require-hashes -r requirements-dev.lock
  quiet_pip .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e .
  if ! command -v npm >/dev/null 2>&1; then apt_install nodejs npm; fi
  log "installing front-end assets from the npm registry (served locally, nothing loads from a CDN)"
  .venv/bin/apk-geo assets install
  echo "$want" > "$stamp"
fi
log "ready: .venv/bin/apk-geo"
