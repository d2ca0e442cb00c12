#!/usr/bin/env bash
# Regenerate the lock files from pyproject.toml, every pin with its hashes:
#   requirements.lock      what the product needs at run time (a deployment installs only this)
#   requirements-dev.lock  tests, lint and the reference libraries, within the runtime pins
# Existing pins are kept where pyproject.toml still allows them (pip-compile's default).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
.venv/bin/python -m pip install -q pip-tools
common=(--quiet --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links
        --allow-unsafe)
.venv/bin/pip-compile "${common[@]}" --output-file requirements.lock pyproject.toml
.venv/bin/pip-compile "${common[@]}" --extra dev --constraint requirements.lock \
  --output-file requirements-dev.lock pyproject.toml
