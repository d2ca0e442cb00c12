#!/usr/bin/env bash
# The README's test command (and what .ci/run calls): set up, install what the browser tests need
# (Debian's chromium; poppler-utils for PDF checks; DejaVu fonts for Czech diacritics), then lint, format
# check, type check and the whole test suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
source scripts/_apt.sh
apt_install chromium poppler-utils fonts-dejavu-core
echo "[test] ruff check" >&2
.venv/bin/ruff check .
echo "[test] ruff format --check" >&2
.venv/bin/ruff format --check .
echo "[test] mypy" >&2
.venv/bin/mypy
echo "[test] lint-imports (the tiers of docs/ARCHITECTURE.md)" >&2
.venv/bin/lint-imports --no-cache
echo "[test] pytest" >&2
mkdir -p test-artifacts
exec .venv/bin/python -m pytest -n 2 --dist loadfile "$@"
