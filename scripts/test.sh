#!/usr/bin/env bash
# The README's test command (and what .ci/run calls): set up, install what the browser tests need
# (Debian's chromium; poppler-utils for PDF checks; DejaVu fonts for Czech diacritics; LibreOffice Calc
# for the CSV round trips; python3-gdal for GDAL's validate_gpkg.py), start the local
# PostgreSQL/PostGIS cluster (scripts/postgis.sh; the PostGIS tests always run here, in databases and
# roles of their own that they drop at the end), then lint, format check, type check, the import tiers,
# the whole test suite, and the built wheel on a second Python version (scripts/other_python.sh).
# Extra arguments go to the main pytest run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
df -h . | awk 'NR == 2 {print "[test] free disk space: " $4}' >&2
bash scripts/setup.sh
source scripts/_apt.sh
apt_install chromium poppler-utils fonts-dejavu-core libreoffice-calc-nogui python3-gdal
echo "[test] ruff check" >&2
.venv/bin/ruff check .
echo "[test] ruff format --check" >&2
.venv/bin/ruff format --check .
echo "[test] mypy" >&2
.venv/bin/mypy
echo "[test] lint-imports (the tiers of docs/ARCHITECTURE.md)" >&2
.venv/bin/lint-imports --no-cache
echo "[test] PostgreSQL/PostGIS (scripts/postgis.sh)" >&2
APK_GEO_TEST_PG_URL=$(bash scripts/postgis.sh)
case $APK_GEO_TEST_PG_URL in
  postgresql://*[!$'\n']) ;;
  *) echo "[test] scripts/postgis.sh printed no single URL: '$APK_GEO_TEST_PG_URL'" >&2; exit 1 ;;
esac
export APK_GEO_TEST_PG_URL
echo "[test] pytest" >&2
mkdir -p test-artifacts
.venv/bin/python -m pytest -n 2 --dist loadfile "$@"
echo "[test] the wheel on another Python (scripts/other_python.sh)" >&2
exec bash scripts/other_python.sh
