"""Regenerate the synthetic demo layers in data/demo (deterministic, seeded).

Writes data/demo/svl_synthetic.geojson, data/demo/hostels_synthetic.geojson and the synthetic
RÚIAN gazetteer data/demo/20261101_OB_554821_ADR_synthetic.csv from the real open data in data/
and the documented places in data/ostrava_svl_hostels_candidates.csv. Running it twice gives
byte-identical files.

Usage: .venv/bin/python scripts/build_demo_layers.py [--out DIR] [--seed N]
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from apk_geo.demo import DEMO_DIR, LAYER_SEED, build_demo_layers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEMO_DIR, help="output folder (data/demo)")
    parser.add_argument("--seed", type=int, default=LAYER_SEED, help="random seed")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    for name, path in build_demo_layers(out_dir=args.out, seed=args.seed).items():
        print(f"{name:10s} {path} ({path.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
