"""Where the demo files live, the seed of the committed layers and the label of synthetic data.

Every job module of :mod:`apk_geo.demo` reads these; nothing here does work at import time.
"""

from __future__ import annotations

from typing import Final

from apk_geo.config import DATA_DIR

__all__ = [
    "CANDIDATES_FILE",
    "DEMO_DIR",
    "GAZETTEER_FILE",
    "HOSTELS_FILE",
    "LAYER_SEED",
    "SVL_FILE",
    "SYNTHETIC_SOURCE",
]

#: Folder of the generated demo layers.
DEMO_DIR: Final = DATA_DIR / "demo"
#: The documented SVL/hostel places (real names, proxy coordinates).
CANDIDATES_FILE: Final = DATA_DIR / "ostrava_svl_hostels_candidates.csv"
SVL_FILE: Final = DEMO_DIR / "svl_synthetic.geojson"
HOSTELS_FILE: Final = DEMO_DIR / "hostels_synthetic.geojson"
GAZETTEER_FILE: Final = DEMO_DIR / "20261101_OB_554821_ADR_synthetic.csv"
#: Seed of the committed demo layers (``scripts/build_demo_layers.py``).
LAYER_SEED: Final = 20261101
#: Value of the ``source`` column of every synthetic layer.
SYNTHETIC_SOURCE: Final = "synthetic demo data"
