#!/usr/bin/env bash
# Check apk-geo on a second Python version (the package supports 3.11–3.13; the development
# environment is 3.11): build the wheel, install it with the hash-checked locks into a virtualenv of
# the newest other Python found (3.13, else 3.12: on PATH or under ~/.pyenv/versions), run
# `apk-geo demo`, `hotspots` and `report` from a folder outside the checkout, then the library's
# fast tests against the installed wheel. Says so and exits 0 when no other Python is found.
# Run by scripts/test.sh; extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
log() { printf '\033[1m[other-python]\033[0m %s\n' "$*" >&2; }
quiet_pip() { "$@" 2> >(grep -v "^WARNING: Location" >&2); }

find_python() {
  local v cand
  for v in 3.13 3.12; do
    for cand in "python$v" "$HOME"/.pyenv/versions/"$v".*/bin/python; do
      if command -v "$cand" >/dev/null 2>&1 &&
         "$cand" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$v'.split('.'))))"
      then
        command -v "$cand"; return 0
      fi
    done
  done
  return 1
}

if ! PY=$(find_python); then
  log "no Python 3.12 or 3.13 found (PATH, ~/.pyenv/versions); the second-version check is skipped"
  exit 0
fi
version=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
venv=.venv-py$version
log "using Python $version ($PY)"

stamp=$venv/.apk-geo-locks
want=$(cat requirements.lock requirements-dev.lock | sha256sum | cut -c1-16)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  log "installing the hash-checked locks into $venv"
  rm -rf "$venv"
  "$PY" -m venv "$venv"
  # --no-cache-dir: no second copy of every wheel on a disk that already holds two virtualenvs
  quiet_pip "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-cache-dir \
    --require-hashes -r requirements-dev.lock
  echo "$want" > "$stamp"
fi

wheels=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$wheels" "$work"' EXIT
quiet_pip "$venv/bin/python" -m pip wheel -q --disable-pip-version-check --no-cache-dir --no-deps \
  -w "$wheels" .
quiet_pip "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-cache-dir \
  --no-deps --force-reinstall "$wheels"/apk_geo-*.whl

export APK_GEO_VENDOR_DIR="$PWD/app_pages/static/vendor"
geo="$PWD/$venv/bin/apk-geo"
venv="$PWD/$venv"
(
  cd "$work"
  log "apk-geo demo, hotspots, report from the installed wheel (in $work)"
  "$geo" demo --store demo.gpkg --incidents 1500 --months 6 >/dev/null
  "$geo" hotspots --store demo.gpkg --method gistar --out gistar.gpkg >/dev/null
  "$geo" report --store demo.gpkg --area all --format html --out packs >/dev/null 2>&1
  "$venv/bin/python" -c "import apk_geo, sys; sys.exit('site-packages' not in apk_geo.__file__)"
  [ -n "$(ls packs/*.html)" ] && [ -s gistar.gpkg ]
) || { log "the installed wheel failed on Python $version"; exit 1; }

log "library tests on Python $version against the installed wheel"
# pytest's own script (not `python -m pytest`) keeps the checkout off sys.path, so `import apk_geo`
# finds the installed wheel. tests/test_dashboard_grid.py imports `app_pages` when it is collected:
# the installed one, and every AppTest of that worker would then register the installed pages
# and not find the checkout's (the dashboard's tests run in the main suite).
exec "$venv/bin/pytest" -q -p no:cacheprovider -n 2 --dist loadfile \
  -m "not slow and not browser and not postgis" \
  --ignore=tests/test_dashboard_apptest.py --ignore=tests/test_dashboard_grid.py \
  --ignore=tests/test_notebooks.py "$@"
