#!/usr/bin/env bash
# The fast check loop (about a minute): lint, format check, type check, then every test that is
# neither marked `slow` (Hypothesis/fuzz, kill -9, notebooks, fixture-heavy) nor `browser`, on two
# workers. Extra arguments go to pytest, e.g. `scripts/quick.sh tests/test_store.py -x`.
# It assumes scripts/setup.sh has run once; the whole suite is scripts/test.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
start=$SECONDS
echo "[quick] ruff check" >&2
.venv/bin/ruff check .
echo "[quick] ruff format --check" >&2
.venv/bin/ruff format --check .
echo "[quick] mypy" >&2
.venv/bin/mypy
echo "[quick] lint-imports (the tiers of docs/ARCHITECTURE.md)" >&2
.venv/bin/lint-imports --no-cache
echo "[quick] pytest -m 'not slow and not browser'" >&2
status=0
.venv/bin/python -m pytest -m "not slow and not browser" -n 2 --dist loadfile -q "$@" || status=$?
echo "[quick] finished in $((SECONDS - start)) s (exit $status)" >&2
exit "$status"
