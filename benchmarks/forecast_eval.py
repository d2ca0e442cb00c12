"""The anchor protocol of issue 17: the default forecast against the honest ensemble.

On the five real data sets the project ships (Memphis robberies 2019, split 2019-07-01; San
Francisco robbery, vehicle theft, drugs and vandalism, July-December 2012 after collapsing
per-charge rows, split 2012-10-01), on 150 m cells whose centre lies in the study area (the
Memphis precincts, the SF block groups), :func:`apk_geo.evaluate.evaluate` trains every method
before the split and scores it on the months after. Printed per set: PAI at 1/5/10 % for the
forecast, the ensemble, naive counts and the KDE; the forecast's hit-rate gain over the ensemble
and over naive counts with the 95 % day-block bootstrap interval; the forecast's chosen
components and parameters; the run time. Last: the mean gain over the five sets and the verdict
of the acceptance rule (PAI at 5 % at least the ensemble's on every set, mean gain's interval
above zero, never significantly worse at 1/5/10 %).

Context layers (the forecast's risk-terrain covariates, :func:`context_layers`): Memphis the
population points; San Francisco the block groups' population and the other three SF categories'
incidents before the split (the block groups' per-category counts span the test months too and
are never passed). ``--no-context`` passes none. ``--dev`` runs the same protocol inside the
training months (the last third of them as the test period, :data:`DEV_SPLITS`), for choosing
designs without looking at the real test months.

Run: ``.venv/bin/python benchmarks/forecast_eval.py [--sets memphis,sf_robbery,...] [--n-boot N]
[--dev] [--no-context]``. Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from apk_geo.evaluate import GAIN_COLUMNS, evaluate, mean_gain
from apk_geo.points import distinct_incidents, read_points

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "data" / "real_crime"
COVERAGES = (0.01, 0.05, 0.10)
METHODS = ("forecast", "kde", "naive", "ensemble")

#: name -> (file, incident id column, date column, split, test end, area file)
SETS: dict[str, tuple[str, str | None, str | None, str, str, str]] = {
    "memphis": (
        "memphis_robberies_sfhotspot.gpkg", None, None, "2019-07-01", "2020-01-01",
        "memphis_precincts_sfhotspot.gpkg",
    ),
    "sf_robbery": (
        "sf_robbery_2012H2_geoda.gpkg", "IncidntNum", "Date", "2012-10-01", "2013-01-01",
        "sf_crime_blockgroups_2012H2_geoda.gpkg",
    ),
    "sf_cartheft": (
        "sf_cartheft_2012H2_geoda.gpkg", "IncidntNum", "Date", "2012-10-01", "2013-01-01",
        "sf_crime_blockgroups_2012H2_geoda.gpkg",
    ),
    "sf_drugs": (
        "sf_drugs_2012H2_geoda.gpkg", "IncidntNum", "Date", "2012-10-01", "2013-01-01",
        "sf_crime_blockgroups_2012H2_geoda.gpkg",
    ),
    "sf_vandalism": (
        "sf_vandalism_2012H2_geoda.gpkg", "IncidntNum", "Date", "2012-10-01", "2013-01-01",
        "sf_crime_blockgroups_2012H2_geoda.gpkg",
    ),
}  # fmt: skip


#: name -> (split, test end) of the development protocol: the same evaluation inside the
#: training months (the last third of them as the test period), for choosing designs without
#: looking at the real test months.
DEV_SPLITS: dict[str, tuple[str, str]] = {
    "memphis": ("2019-05-01", "2019-07-01"),
    **{k: ("2012-09-01", "2012-10-01") for k in SETS if k.startswith("sf_")},
}


def read_set(name: str) -> gpd.GeoDataFrame:
    """Return the incidents of one set (one row per incident), with ``reported_at``."""
    file, id_col, date_col, *_ = SETS[name]
    pts = read_points(REAL / file, date_col=date_col)
    return distinct_incidents(pts, id_col=id_col) if id_col else pts


def context_layers(name: str, *, split: str) -> dict[str, gpd.GeoDataFrame]:
    """Return the real covariate layers of one set, nothing dated at or after ``split``.

    Memphis: the population points (``weight`` = population). San Francisco: the block groups'
    population at their representative points, and every OTHER SF category's incidents before
    the split (dated by ``reported_at``, which the forecast filters again). The block groups'
    per-category counts cover July-December 2012, test months included, and are never used.
    """
    if name == "memphis":
        pop = gpd.read_file(REAL / "memphis_population_sfhotspot.gpkg")
        weight = pop["population"].astype(float).to_numpy()
        return {"population": gpd.GeoDataFrame({"weight": weight}, geometry=pop.geometry)}
    groups = gpd.read_file(REAL / SETS[name][5])
    layers = {
        "population": gpd.GeoDataFrame(
            {"weight": groups["Population"].astype(float).to_numpy()},
            geometry=groups.representative_point(),
        )
    }
    for other in SETS:
        if other.startswith("sf_") and other != name:
            pts = read_set(other)
            at = pd.Timestamp(split).tz_localize(pts["reported_at"].dt.tz)
            layers[other.removeprefix("sf_")] = pts.loc[
                pts["reported_at"] < at, ["reported_at", "geometry"]
            ]
    return layers


def run_set(
    name: str, *, n_boot: int, dev: bool = False, context: bool = True
) -> tuple[pd.DataFrame, float]:
    """Return the evaluation table of one data set and its run time in seconds."""
    _, _, _, split, end, area_file = SETS[name]
    if dev:
        split, end = DEV_SPLITS[name]
    pts = read_set(name)
    area = gpd.read_file(REAL / area_file)
    layers = context_layers(name, split=split) if context else None
    started = time.perf_counter()
    table = evaluate(
        pts, split_date=split, test_end=end, cell_size_m=150, area=area,
        methods=METHODS, n_boot=n_boot, context=layers,
    )  # fmt: skip
    return table, time.perf_counter() - started


def _print_set(name: str, table: pd.DataFrame, seconds: float) -> list[str]:
    """Print one set's figures; return the acceptance failures found."""
    p = table.attrs["params"]
    print(f"\n== {name}: {p['n_train']} train / {p['n_test']} test, {p['n_cells']} cells, "
          f"{seconds:.1f} s")  # fmt: skip
    pai = table.pivot(index="method", columns="coverage", values="pai").loc[list(METHODS)]
    pai.columns = [f"PAI {c:.0%}" for c in pai.columns]
    print(pai.round(3).to_string())
    failures: list[str] = []
    fc = table[table["method"] == "forecast"].set_index("coverage")
    for c in COVERAGES:
        r = {str(k): float(v) for k, v in fc.loc[c, list(GAIN_COLUMNS)].to_dict().items()}
        sig_worse = r["gain_vs_ensemble_hi"] < 0
        print(
            f"  {c:4.0%} gain vs ensemble {100 * r['gain_vs_ensemble']:+.2f} pp "
            f"[{100 * r['gain_vs_ensemble_lo']:+.2f}, {100 * r['gain_vs_ensemble_hi']:+.2f}]"
            f"{'  SIGNIFICANTLY WORSE' if sig_worse else ''}; vs naive "
            f"{100 * r['gain_vs_naive']:+.2f} pp "
            f"[{100 * r['gain_vs_naive_lo']:+.2f}, {100 * r['gain_vs_naive_hi']:+.2f}]"
        )
        if sig_worse:
            failures.append(f"{name}: significantly worse than the ensemble at {c:.0%}")
    pai5 = pai["PAI 5%"].to_dict()
    if pai5["forecast"] < pai5["ensemble"]:
        failures.append(f"{name}: PAI 5 % below the ensemble's")
    fp = p["methods"]["forecast"]
    keep = ("bandwidth_m", "blend", "half_life_days", "components", "tuned")
    print("  forecast:", json.dumps({k: fp.get(k) for k in keep}, default=str))
    sel: dict[str, Any] = fp.get("selection", {})
    print("  selection:", json.dumps({k: v for k, v in sel.items() if k != "rule"}, default=str))
    print("  covariates:", json.dumps(fp.get("components", {}).get("covariates"), default=str))
    ens = p["methods"]["ensemble"]
    print(f"  ensemble bandwidth {ens.get('bandwidth_m')} m")
    return failures


def main() -> None:
    """Run the protocol on the chosen sets and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated set names")
    parser.add_argument("--n-boot", type=int, default=999)
    parser.add_argument(
        "--dev", action="store_true",
        help="the development protocol: split and test inside the training months",
    )  # fmt: skip
    parser.add_argument("--no-context", action="store_true", help="pass no covariate layers")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=RuntimeWarning)
    tables, failures = [], []
    for name in args.sets.split(","):
        table, seconds = run_set(
            name, n_boot=args.n_boot, dev=args.dev, context=not args.no_context
        )
        failures += _print_set(name, table, seconds)
        tables.append(table)
    print()
    for c in COVERAGES:
        g = mean_gain(tables, method="forecast", against="ensemble", coverage=c)
        print(f"mean gain over the ensemble at {c:.0%}: {100 * g['mean']:+.3f} pp "
              f"[{100 * g['lo']:+.3f}, {100 * g['hi']:+.3f}]")  # fmt: skip
        if c == 0.05 and not g["lo"] > 0:
            failures.append("mean gain at 5 %: interval not above zero")
    print("acceptance:", "MET" if not failures else "NOT MET: " + "; ".join(failures))


if __name__ == "__main__":
    main()
