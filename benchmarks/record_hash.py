"""Record-hash benchmark: version 2 (BLAKE2b over canonical bytes) against version 1, and the
upgrade of an old store's hashes.

Builds ``--n`` synthetic canonical records (default 1,000,000: unique ids, a time each minute,
4 categories, 3 outcomes, 30 assistants, repeated notes and addresses, unique lat/lon, S-JTSK
for half of them) and prints, as JSON, the wall-clock and CPU seconds of
:func:`apk_geo.hashes.record_hash` (v2), :func:`apk_geo.hashes.legacy_record_hash` (v1) and
of :func:`apk_geo.store.rehash.recover_v2_hashes` on ``--n-store`` stored rows (default
100,000) carrying v1 hashes. The load average is printed too: on a shared machine the
wall-clock figure includes waiting for a core; CPU seconds do not.

Usage::

    .venv/bin/python benchmarks/record_hash.py [--n 1000000] [--n-store 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from apk_geo.hashes import legacy_record_hash, record_hash
from apk_geo.store.rehash import recover_v2_hashes


def records(n: int, *, seed: int = 1) -> pd.DataFrame:
    """Return ``n`` synthetic canonical records (the columns the hash covers)."""
    rng = np.random.default_rng(seed)
    half = rng.random(n) < 0.5

    def text(values: object) -> pd.Series:
        return pd.Series(values, dtype="str")

    return pd.DataFrame(
        {
            "id": text([str(i) for i in range(n)]),
            "reported_at": pd.date_range("2020-01-01", periods=n, freq="min", tz="Europe/Prague"),
            "category": text(rng.choice(["dogs", "noise", "other", "truancy"], n)),
            "outcome": text(
                np.array(["resolved_on_spot", "referred", None])[rng.integers(0, 3, n)]
            ),
            "assistant": text(rng.choice([f"A{i:02d}" for i in range(30)], n)),
            "note": text([f"poznámka {i % 5000}" if i % 3 else None for i in range(n)]),
            "address": text([f"Nádražní {i % 2000}/{i % 7}" for i in range(n)]),
            "lat": 49.8 + rng.random(n) * 0.1,
            "lon": 18.1 + rng.random(n) * 0.1,
            "x": np.where(half, -470_000 - rng.random(n) * 1e4, np.nan),
            "y": np.where(half, -1_100_000 - rng.random(n) * 1e4, np.nan),
        }
    )


def timed(fn: Callable[[], object]) -> dict[str, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return {
        "wall_s": round(time.perf_counter() - wall, 2),
        "cpu_s": round(time.process_time() - cpu, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--n-store", type=int, default=100_000)
    args = parser.parse_args()
    frame = records(args.n)
    old = records(args.n_store, seed=2)
    stored = old.rename(columns={"x": "x_5514", "y": "y_5514"}).assign(
        record_hash=legacy_record_hash(old)
    )
    figures = {
        "n": args.n,
        "v2_record_hash": timed(lambda: record_hash(frame)),
        "v1_legacy_record_hash": timed(lambda: legacy_record_hash(frame)),
        "n_store": args.n_store,
        "upgrade_stored_v1_hashes": timed(lambda: recover_v2_hashes(stored)),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cores": os.cpu_count(),
    }
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
