"""``apk-geo evaluate``: compare the hotspot methods on a time split (hit rate, PAI, PEI, RRI).

Every method is trained on the incidents before ``--split-date`` and judged on those from it on
(up to ``--test-end``). Read incidents from a point file (``--input``) or from a store
(``--store``, geocoded incidents only).
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import pandas as pd

from apk_geo import fmt
from apk_geo._cli._common import ENV_STORE, add_store_option
from apk_geo.evaluate import CELL_RULE, DEFAULT_COVERAGES, evaluate, metrics_by_method
from apk_geo.i18n import t
from apk_geo.times import as_timestamp


def register(sub: Any) -> None:
    """Add the ``evaluate`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "evaluate",
        help="cli.help.evaluate",
        description="cli.help.evaluate.description",
    )
    source = p.add_mutually_exclusive_group(required=not os.environ.get(ENV_STORE))
    source.add_argument("--input", help="cli.help.evaluate.input")
    add_store_option(source, help="cli.help.store_geocoded", required=False)
    p.add_argument("--split-date", required=True, help="cli.help.evaluate.split_date")
    p.add_argument("--test-end", help="cli.help.evaluate.test_end")
    p.add_argument("--cell-size-m", type=float, default=150.0, help="cli.help.evaluate.cell_size_m")
    p.add_argument(
        "--area",
        help="cli.help.evaluate.area",
    )
    p.add_argument("--id-col", help="cli.help.id_col")
    p.add_argument("--date-col", help="cli.help.date_col")
    p.add_argument("--crs", help="cli.help.evaluate.crs")
    p.add_argument(
        "--coverages",
        type=parse_coverages,
        default=DEFAULT_COVERAGES,
        help="cli.help.evaluate.coverages",
    )
    p.add_argument("--json", action="store_true", help="cli.help.evaluate.json")
    p.set_defaults(func=run)


def parse_coverages(text: str) -> tuple[float, ...]:
    """Parse ``--coverages`` ("0.01,0.05,0.1"); argparse reports a bad value with exit code 2."""
    try:
        values = tuple(float(c) for c in text.split(",") if c.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"expected shares such as 0.01,0.05,0.1; got {text!r}"
        ) from exc
    if not values or any(not 0 < v <= 1 for v in values):
        raise argparse.ArgumentTypeError(f"expected shares in (0, 1] such as 0.05; got {text!r}")
    return values


def load_points(args: argparse.Namespace) -> gpd.GeoDataFrame:
    """Return the incidents named by ``--input`` or ``--store`` (one row per incident)."""
    if args.input is None:
        from apk_geo.store import open_store

        pts = open_store(args.store).incidents(geocoded_only=True)
    else:
        from apk_geo.points import read_points

        pts = read_points(args.input, crs=args.crs, date_col=args.date_col)
    if args.id_col:
        from apk_geo.points import distinct_incidents

        pts = distinct_incidents(pts, id_col=args.id_col)
    return pts


def load_area(path: str) -> gpd.GeoDataFrame:
    """Return the study area file as polygons with a CRS (reprojected by ``evaluate``)."""
    from apk_geo.errors import CRSError, SchemaError
    from apk_geo.routes._messages import file_error
    from apk_geo.store._messages import Message

    try:
        area = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises its own errors for a missing or broken file
        raise file_error(Message("cli.err.area_unreadable", reason=str(exc)), path=path) from exc
    if area.crs is None:
        raise CRSError(Message("cli.err.area_crs", path=path))
    kinds = set(area.geometry.dropna().geom_type)
    if not kinds or not kinds <= {"Polygon", "MultiPolygon"}:
        got = sorted(kinds) or Message("cli.err.no_geometry")
        raise SchemaError(Message("cli.err.area_polygons", path=path, kinds=got))
    return area


def run(args: argparse.Namespace) -> int:
    """Run the evaluation and print the table (or JSON with ``--json``)."""
    coverages = (
        parse_coverages(args.coverages) if isinstance(args.coverages, str) else args.coverages
    )
    # check the dates first (one message naming the option); the text itself is passed on, so a
    # naive date stays a wall-clock date of the data's own time zone
    as_timestamp(args.split_date, name="--split-date", example="2026-06-01")
    if args.test_end is not None:
        as_timestamp(args.test_end, name="--test-end", example="2026-09-01")
    area = load_area(args.area) if args.area else None
    pts = load_points(args)
    table = evaluate(
        pts,
        split_date=args.split_date,
        test_end=args.test_end,
        cell_size_m=args.cell_size_m,
        coverages=coverages,
        area=area,
    )
    if args.json:
        print(json.dumps(metrics_by_method(table), indent=2))
        return 0
    lang = args.lang
    print(_heading(table.attrs["params"], lang))
    print(_shown(table, lang).to_string(index=False))
    print(t("cli.evaluate.footer", lang))
    return 0


def _heading(params: Mapping[str, Any], lang: str) -> str:
    """The line above the table: the split, the test period's size and the grid, in ``lang``."""
    rule = params["cell_rule"]
    area = str(params["study_area"])
    return t(
        "cli.evaluate.heading",
        lang,
        n_train=params["n_train"],
        split_date=_day(params["split_date"], lang),
        n_test=params["n_test"],
        n_cells=params["n_cells"],
        cell=params["cell_size_m"],
        rule=t("cli.evaluate.cell_rule", lang) if rule == CELL_RULE else rule,
        area=t(f"cli.evaluate.area.{area}", lang) if area in ("area", "convex_hull") else area,
        km2=params["study_area_km2"],
    )


def _column(name: str, lang: str) -> str:
    """The heading of a column of the table in ``lang`` (PAI, PEI, RRI stay as they are)."""
    if name.startswith("gain_vs_"):
        baseline = name.removeprefix("gain_vs_").removesuffix("_lo").removesuffix("_hi")
        end = name.removeprefix(f"gain_vs_{baseline}")
        return t(f"cli.evaluate.col.gain{end}", lang, baseline=baseline)
    if name in ("method", "coverage", "area_share", "hits", "hit_rate"):
        return t(f"cli.evaluate.col.{name}", lang)
    return name


def _shown(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table as text in ``lang``: coverage as ``5 %``, numbers with 3 decimals (``0,123``)."""
    shown = pd.DataFrame(index=table.index)
    for col in table.columns:
        values = table[col]
        if col == "coverage":
            shown[col] = values.map(lambda v: fmt.percent(v, lang, digits=_decimals(v * 100)))
        elif pd.api.types.is_float_dtype(values):
            shown[col] = values.map(lambda v: fmt.number(v, lang, digits=3))
        else:
            shown[col] = values
    return shown.rename(columns=lambda c: _column(str(c), lang))


def _decimals(percent: float) -> int:
    """0 for a whole percentage (5 %), else 1 (2.5 %)."""
    return 0 if abs(percent - round(percent)) < 1e-9 else 1


def _day(value: object, lang: str) -> str:
    """The split date as a date in ``lang`` (``1. 4. 2024``) when it is midnight, else as given."""
    when = pd.Timestamp(str(value))
    return fmt.date(when, lang) if when == when.normalize() else str(value)
