"""The demo store: context layers, the synthetic gazetteer and ingested synthetic exports.

:func:`build_demo_store` is what ``apk-geo demo`` runs: every export goes through
:func:`apk_geo.ingest.ingest_file`, so geocoding, enrichment and the quarantine run for real.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

from apk_geo.config import Config
from apk_geo.demo._common import GAZETTEER_FILE, SYNTHETIC_SOURCE
from apk_geo.demo.exports import dirty_export, write_exports
from apk_geo.demo.gazetteer import read_address_points
from apk_geo.demo.incidents import generate_incidents
from apk_geo.enrich import Context, load_context
from apk_geo.errors import StoreError
from apk_geo.store._messages import (
    demo_force_shared,
    demo_not_empty,
    demo_store_exists,
    no_store_for_demo,
)
from apk_geo.store.location import is_database_url

if TYPE_CHECKING:
    from apk_geo.store import IncidentStore

__all__ = ["build_demo_store"]


def build_demo_store(
    path: str | Path,
    *,
    seed: int = 42,
    config: Config | None = None,
    n_incidents: int = 30_000,
    end: pd.Timestamp | date | str | None = None,
    months: int = 36,
    exports_dir: str | Path | None = None,
    overwrite: bool = False,
    on_progress: Any = None,
) -> dict[str, Any]:
    """Build a complete demo incident store: context layers, gazetteer, ingested exports.

    Steps: read the context layers named by ``config.layers`` (real geography + the synthetic SVL
    and hostel layers) and the synthetic gazetteer; write them to the store with metadata
    ``{"synthetic": "true", "seed": ...}``; generate incidents
    (:func:`apk_geo.demo.generate_incidents`); write them as yearly exports plus a dirty one
    (:func:`apk_geo.demo.write_exports`); ingest every export with
    :func:`apk_geo.ingest.ingest_file`, so geocoding and quarantine run for real.

    Parameters
    ----------
    path
        The store to create (``.gpkg``), or an empty PostGIS store (``postgresql://…``,
        initialised with ``apk-geo db init``; ``overwrite`` is refused there: a shared
        database is never emptied by the demo).
    seed
        Seed of the incidents (the layers are fixed, see :data:`apk_geo.demo.LAYER_SEED`).
    config
        Configuration (defaults when ``None``).
    n_incidents
        Number of incidents in the clean exports.
    end
        Exclusive end of the period; default the first day of the current month.
    months
        Length of the period in months (36: about three years).
    exports_dir
        Where the exports are written; default ``<store folder>/<store name>_exports``
        (``var/demo_exports`` for a PostGIS store).
    overwrite
        Replace an existing store; otherwise an existing store is an error.
    on_progress
        Passed to :func:`apk_geo.ingest.ingest_file`.

    Returns
    -------
    dict
        The store's :meth:`summary` plus ``seed``, ``exports`` (file paths) and ``imports``
        (file name → import counts).

    Raises
    ------
    StoreError
        If the store exists (a PostGIS store: holds imports) and ``overwrite`` is false, or
        ``overwrite`` is asked of a PostGIS store.
    """
    from apk_geo import ingest  # same tier; imported here to keep start-up light

    cfg = config or Config()
    st = _fresh_store(path, overwrite=overwrite)
    target = Path("var") / "demo.gpkg" if is_database_url(path) else Path(path)
    context = load_context(cfg)
    st.write_layers(_store_layers(context), metadata={"synthetic": "true", "seed": str(seed)})
    addresses = read_address_points(GAZETTEER_FILE)
    incidents = generate_incidents(
        addresses, context, config=cfg, seed=seed, n_incidents=n_incidents, end=end, months=months
    )
    dirty, _ = dirty_export(addresses, context, config=cfg, seed=seed, end=end)
    folder = _exports_folder(target, exports_dir)
    exports = write_exports(incidents, folder, seed=seed, dirty=dirty)
    imports = {
        p.name: ingest.ingest_file(p, store=st, config=cfg, on_progress=on_progress).as_dict()
        for p in exports
    }
    summary = dict(st.summary())
    summary.update({"seed": seed, "exports": [str(p) for p in exports], "imports": imports})
    return summary


def _fresh_store(path: str | Path, *, overwrite: bool) -> IncidentStore:
    """Open ``path`` as a new, empty store; remove an existing file only if ``overwrite``."""
    from apk_geo import store  # same tier; imported here to keep start-up light

    st = store.open_store(path)
    if is_database_url(path):
        return _empty_database(st, overwrite=overwrite)
    target = Path(path)
    if not st.exists():
        return st
    if not overwrite:
        raise StoreError(demo_store_exists(target))
    if target.is_dir():
        shutil.rmtree(target)
    else:
        target.unlink()
    return store.open_store(target)


def _empty_database(st: IncidentStore, *, overwrite: bool) -> IncidentStore:
    """Return a PostGIS store that exists and holds no import (the demo never empties one)."""
    if overwrite:
        raise StoreError(demo_force_shared(st.location))
    if not st.exists():
        raise StoreError(no_store_for_demo(st.location))
    if len(st.import_log()):
        raise StoreError(demo_not_empty(st.location))
    return st


def _store_layers(context: Context) -> dict[str, gpd.GeoDataFrame | pd.DataFrame]:
    """The context layers plus the synthetic gazetteer as ``address_points``, labelled synthetic."""
    from apk_geo import geocode  # same tier; imported here to keep start-up light

    address_points = geocode.load_ruian_csv(GAZETTEER_FILE)
    address_points = address_points.assign(synthetic=True, source=SYNTHETIC_SOURCE)
    return {**context.layers(), "address_points": address_points}


def _exports_folder(target: Path, exports_dir: str | Path | None) -> Path:
    """Where the exports go (``<store>_exports`` by default), emptied of earlier exports."""
    folder = Path(exports_dir) if exports_dir else target.parent / f"{target.stem}_exports"
    if folder.exists():
        for old in folder.glob("apk_export_*.csv"):
            old.unlink()
    return folder
