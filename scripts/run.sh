#!/usr/bin/env bash
# The README's run command: set up, build the synthetic demo store if there is none, start the dashboard.
# Store path: $APK_GEO_STORE (default var/demo.gpkg). Address: 127.0.0.1, port $APK_GEO_PORT (8501).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
store=${APK_GEO_STORE:-var/demo.gpkg}
if [ ! -f "$store" ]; then
  mkdir -p "$(dirname "$store")"
  echo "[run] building the synthetic demo store at $store" >&2
  .venv/bin/apk-geo demo --store "$store"
fi
exec .venv/bin/apk-geo dashboard --store "$store" --port "${APK_GEO_PORT:-8501}"
