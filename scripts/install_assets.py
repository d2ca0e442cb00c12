"""Install the map's front-end files from the npm registry (what ``apk-geo assets install`` does).

Kept for ``scripts/setup.sh`` and old notes; see :mod:`apk_geo.assets_install`.
Usage: ``.venv/bin/python scripts/install_assets.py [--dest DIR]``
"""

from __future__ import annotations

import sys

from apk_geo.cli import main

if __name__ == "__main__":
    sys.exit(main(["assets", "install", *sys.argv[1:]]))
