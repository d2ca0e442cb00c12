#!/usr/bin/env bash
# Regenerate requirements.lock (every runtime and dev dependency pinned) from pyproject.toml.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
.venv/bin/python -m pip install -q pip-tools
.venv/bin/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links \
  --output-file requirements.lock pyproject.toml
