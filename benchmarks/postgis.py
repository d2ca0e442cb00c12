"""Benchmark the shared PostGIS store: import cost against store size, filters, national scale.

Three measurements, each in databases of its own (cloned from ``apk_geo_template``, roles with a
random ``apkb<hex>`` prefix, all dropped at the end unless ``--keep``; ``apk_geo`` is never
touched):

1. **Import ratio.** 1,000 new incidents imported with :meth:`PostGISStore.apply_import` into an
   empty store and into a store of ``--base`` (1,000,000) incidents; the median of ``--repeats``
   runs each, and their ratio (the issue asks for "about the same"). Two kinds of batch: what an
   APK import is (one city, the last month) and the worst case for the indexes (places all over
   the country, times all over 2013–2025: every row lands on another index page).
2. **National scale.** ``--national`` synthetic incidents (default 2,000,000; the Czech Police's
   crime map since 2013 holds about 14 million) spread over synthetic municipalities — the ten
   largest Czech cities at their real centres with their real populations, the rest placed by a
   seeded generator inside the Czech bounding box (``apk_geo.coords.CZECHIA_BOUNDS_LONLAT``),
   incidents per municipality in proportion to population, 2013–2025. Every row is labelled
   ``source = 'synthetic'``. Timed: the bulk load (``COPY``), the index build, one city's month
   (``incidents(districts=["Ostrava"], start, end)``), one city's year, filter queries, and Gi*
   for Ostrava's last year read from PostGIS (``methods.run_method(method="gistar")``).
3. **Extrapolation** to 14 million rows, printed with the label ``extrapolated``: load time
   linear in rows; a city's month read grows with the rows it returns (measured per row from the
   month and year reads); index lookups grow with log(rows) and are neglected.

Usage::

    .venv/bin/python benchmarks/postgis.py [--admin-url URL] [--base 1000000]
        [--national 2000000] [--repeats 5] [--seed 0] [--keep] [--json]

``--admin-url`` defaults to ``$APK_GEO_TEST_PG_URL``, else the URL ``scripts/postgis.sh``
prints.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import statistics
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import psycopg
from psycopg import sql
from pyproj import Transformer

from apk_geo.coords import CZECHIA_BOUNDS_LONLAT
from apk_geo.db import init_database
from apk_geo.io import quarantine_frame
from apk_geo.methods import run_method
from apk_geo.schema import CATEGORIES, OUTCOMES, TIMEZONE
from apk_geo.store import STORED_INCIDENT_COLUMNS, PostGISStore

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent.parent
CHUNK = 250_000
NATIONAL_TARGET = 14_000_000
#: The ten largest Czech cities: name, longitude, latitude, population (ČSÚ, 2024, rounded).
CITIES = (
    ("Praha", 14.437, 50.076, 1_384_000),
    ("Brno", 16.608, 49.195, 400_000),
    ("Ostrava", 18.292, 49.835, 283_000),
    ("Plzeň", 13.378, 49.747, 185_000),
    ("Liberec", 15.056, 50.767, 108_000),
    ("Olomouc", 17.251, 49.594, 102_000),
    ("České Budějovice", 14.475, 48.975, 97_000),
    ("Hradec Králové", 15.833, 50.210, 93_000),
    ("Pardubice", 15.779, 50.038, 93_000),
    ("Ústí nad Labem", 14.032, 50.661, 91_000),
)
POPULATION = 10_900_000
MUNICIPALITIES = 6_254
PERIOD = (pd.Timestamp("2013-01-01", tz="UTC"), pd.Timestamp("2026-01-01", tz="UTC"))
TO_5514 = Transformer.from_crs(4326, 5514, always_xy=True)
TO_4326 = Transformer.from_crs(5514, 4326, always_xy=True)
INDEXES = (
    "CREATE INDEX incidents_geom ON apk.incidents USING gist (geom)",
    "CREATE INDEX incidents_reported_at ON apk.incidents (reported_at)",
    "CREATE INDEX incidents_category ON apk.incidents (category, reported_at)",
    "CREATE INDEX incidents_district_name ON apk.incidents (district_name, reported_at)",
    "CREATE INDEX incidents_district_code ON apk.incidents (district_code, reported_at)",
    "CREATE INDEX incidents_mdt_area ON apk.incidents (mdt_area, reported_at)",
)


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def median_time(fn: Callable[[], object], repeats: int) -> float:
    return statistics.median(timed(fn)[1] for _ in range(repeats))


# ------------------------------------------------------------------------- databases


class Server:
    """Databases and roles of this run (prefix ``apkb<hex>``), dropped by :meth:`drop`."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.prefix = f"apkb{secrets.token_hex(3)}"
        self.databases: list[str] = []

    def database(self, name: str) -> str:
        dbname = f"{self.prefix}_{name}"
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE apk_geo_template").format(
                    sql.Identifier(dbname)
                )
            )
        self.databases.append(dbname)
        url = psycopg.conninfo.make_conninfo(self.admin_url, dbname=dbname)
        init_database(url, role_prefix=self.prefix)
        return url

    def drop(self) -> None:
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for dbname in self.databases:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(dbname)
                    )
                )
            for (role,) in conn.execute(
                "SELECT rolname FROM pg_roles WHERE rolname LIKE %s", [f"{self.prefix}\\_%"]
            ).fetchall():
                conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


# ---------------------------------------------------------------------- synthetic data


def municipalities(rng: np.random.Generator) -> pd.DataFrame:
    """Synthetic municipalities: the ten largest cities, then seeded ones in the bounding box."""
    n_rest = MUNICIPALITIES - len(CITIES)
    rest_pop = POPULATION - sum(c[3] for c in CITIES)
    weights = rng.lognormal(mean=6.3, sigma=1.2, size=n_rest)
    west, south, east, north = CZECHIA_BOUNDS_LONLAT
    frame = pd.DataFrame(
        {
            "name": [c[0] for c in CITIES] + [f"obec {k:04d} (synthetic)" for k in range(n_rest)],
            "lon": [c[1] for c in CITIES] + list(rng.uniform(west, east, n_rest)),
            "lat": [c[2] for c in CITIES] + list(rng.uniform(south, north, n_rest)),
            "population": [c[3] for c in CITIES] + list(weights / weights.sum() * rest_pop),
        }
    )
    frame["code"] = [f"{500_000 + k:06d}" for k in range(len(frame))]
    frame["x"], frame["y"] = TO_5514.transform(frame["lon"].to_numpy(), frame["lat"].to_numpy())
    # a city of 1M spreads over ~8 km, a village of 500 over ~300 m (one standard deviation)
    frame["spread_m"] = np.clip(300 * np.sqrt(frame["population"] / 500), 300, 8_000)
    return frame


def national_chunks(n: int, seed: int, *, start_id: int = 0) -> Iterator[pd.DataFrame]:
    """Yield ``n`` synthetic incidents as frames of the stored columns plus ``geom`` (EWKT)."""
    rng = np.random.default_rng(seed)
    towns = municipalities(rng)
    share = (towns["population"] / towns["population"].sum()).to_numpy()
    categories = np.array([c.code for c in CATEGORIES])
    outcomes = np.array([c.code for c in OUTCOMES])
    span = (PERIOD[1] - PERIOD[0]).total_seconds()
    done = 0
    while done < n:
        m = min(CHUNK, n - done)
        town = rng.choice(len(towns), size=m, p=share)
        x = towns["x"].to_numpy()[town] + rng.normal(0, 1, m) * towns["spread_m"].to_numpy()[town]
        y = towns["y"].to_numpy()[town] + rng.normal(0, 1, m) * towns["spread_m"].to_numpy()[town]
        lon, lat = TO_4326.transform(x, y)
        when = PERIOD[0] + pd.to_timedelta(rng.uniform(0, span, m).round(), unit="s")
        ids = np.arange(start_id + done, start_id + done + m)
        names = towns["name"].to_numpy()[town]
        yield pd.DataFrame(
            {
                "source": "synthetic",
                "id": ids.astype(str),
                "reported_at": when.strftime("%Y-%m-%d %H:%M:%S+00"),
                "category": categories[rng.integers(0, len(categories), m)],
                "outcome": outcomes[rng.integers(0, len(outcomes), m)],
                "assistant": np.char.add("A", rng.integers(1, 40, m).astype(str)),
                "note": "synthetic",
                "address": None,
                "lat": lat,
                "lon": lon,
                "x_5514": x,
                "y_5514": y,
                "match": "coordinates",
                "score": 100.0,
                "ruian_adm": None,
                "geocode_reason": "",
                "district_code": towns["code"].to_numpy()[town],
                "district_name": names,
                "mdt_area": names,
                "svl_name": None,
                "hostel_name": None,
                "hostel_distance_m": None,
                "in_hostel_buffer": False,
                "record_hash": np.char.add("h", ids.astype(str)),
                "imported_at": "2026-01-01 00:00:00+00",
                "modified_at": None,
                "geom": "SRID=5514;POINT("
                + pd.Series(x).round(2).astype(str)
                + " "
                + pd.Series(y).round(2).astype(str)
                + ")",
            }
        )
        done += m


def bulk_load(url: str, n: int, seed: int) -> dict[str, float]:
    """COPY ``n`` national incidents into an empty store (indexes built after); return timings."""
    columns = [*STORED_INCIDENT_COLUMNS, "geom"]
    names = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in INDEXES:
            conn.execute(f"DROP INDEX IF EXISTS apk.{statement.split()[2]}")
        generate = copy = 0.0
        chunks = national_chunks(n, seed)
        while True:
            frame, g = timed(lambda: next(chunks, None))
            generate += g
            if frame is None:
                break
            buffer = io.StringIO()
            frame.to_csv(buffer, header=False, index=False, na_rep="\\N")
            _, c = timed(
                lambda buffer=buffer: _copy(  # type: ignore[misc]
                    conn,
                    sql.SQL("COPY apk.incidents ({}) FROM STDIN (FORMAT csv, NULL '\\N')").format(
                        names
                    ),
                    buffer.getvalue(),
                )
            )
            copy += c
        _, index = timed(lambda: [conn.execute(s) for s in INDEXES])
        _, analyze = timed(lambda: conn.execute("VACUUM ANALYZE apk.incidents"))
        conn.execute(
            "INSERT INTO apk.import_log (import_id, source, file, imported_at, read, accepted) "
            "VALUES ('bulk', 'synthetic', 'benchmarks/postgis.py', now(), %s, %s)",
            [n, n],
        )
        conn.execute("INSERT INTO apk.metadata (key, value) VALUES ('synthetic', 'true')")
        size = conn.execute(
            "SELECT pg_total_relation_size('apk.incidents'), pg_relation_size('apk.incidents')"
        ).fetchone()
    assert size is not None
    return {
        "rows": n,
        "generate_s": generate,
        "copy_s": copy,
        "index_s": index,
        "analyze_s": analyze,
        "load_s": copy + index + analyze,
        "rows_per_s": n / (copy + index + analyze),
        "table_mb": size[1] / 1e6,
        "total_mb": size[0] / 1e6,
    }


def _copy(conn: psycopg.Connection[Any], query: sql.Composed, text: str) -> None:
    with conn.cursor() as cur, cur.copy(query) as copy:
        copy.write(text)


def import_batch(k: int, seed: int, *, recent_city: bool) -> Any:
    """1,000 new incidents (ids of batch ``k``) as a frame ``apply_import`` takes.

    ``recent_city``: what an APK import is — one city (Ostrava), the last month; else the worst
    case for the indexes: places all over the country and times all over 2013–2025.
    """
    import geopandas as gpd

    frame = next(national_chunks(1000, seed + 1000 + k, start_id=50_000_000 + 1000 * k))
    if recent_city:
        rng = np.random.default_rng(seed + k)
        x0, y0 = TO_5514.transform(CITIES[2][1], CITIES[2][2])
        frame["x_5514"] = x0 + rng.normal(0, 3_000, len(frame))
        frame["y_5514"] = y0 + rng.normal(0, 3_000, len(frame))
        frame["district_name"] = frame["mdt_area"] = "Ostrava"
        frame["district_code"] = "500002"
        when = pd.Timestamp("2025-12-01", tz="UTC") + pd.to_timedelta(
            rng.uniform(0, 31 * 86_400, len(frame)).round(), unit="s"
        )
        frame["reported_at"] = when.strftime("%Y-%m-%d %H:%M:%S+00")
    geometry = gpd.points_from_xy(frame["x_5514"], frame["y_5514"], crs=5514)
    out = frame.drop(columns="geom").assign(
        reported_at=pd.to_datetime(frame["reported_at"], utc=True).dt.tz_convert(TIMEZONE),
        imported_at=pd.Timestamp("2026-01-01", tz=TIMEZONE),
        modified_at=pd.Series(pd.NaT, index=frame.index, dtype=f"datetime64[ns, {TIMEZONE}]"),
        ruian_adm=pd.array([pd.NA] * len(frame), dtype="Int64"),
        in_hostel_buffer=pd.array([False] * len(frame), dtype="boolean"),
    )
    return gpd.GeoDataFrame(out, geometry=geometry)


# ------------------------------------------------------------------------ measurements


def import_ratio(server: Server, *, base: int, repeats: int, seed: int) -> dict[str, Any]:
    """Median time of 1,000-row imports into an empty store and a store of ``base`` rows."""
    empty_url, big_url = server.database("empty"), server.database("base")
    load = bulk_load(big_url, base, seed)
    stores = {"empty": PostGISStore(empty_url), "base": PostGISStore(big_url)}
    out: dict[str, Any] = {"base_rows": base, "base_load": load, "import_rows": 1000}
    batch = 0
    for kind in ("one city, last month", "whole country, 2013-2025"):
        times: dict[str, list[float]] = {"empty": [], "base": []}
        for _ in range(repeats):
            for name, store in stores.items():
                frame = import_batch(batch, seed, recent_city=kind.startswith("one city"))
                batch += 1
                counts, t = timed(
                    lambda s=store, f=frame: s.apply_import(  # type: ignore[misc]
                        incidents=f, quarantine=quarantine_frame([]), log={"file": "bench.csv"}
                    )
                )
                assert counts.accepted == 1000, counts
                times[name].append(t)
        empty, big = statistics.median(times["empty"]), statistics.median(times["base"])
        out[kind] = {"empty_s": empty, "base_s": big, "ratio": big / empty, "runs": times}
    return out


def national(server: Server, *, n: int, repeats: int, seed: int) -> dict[str, Any]:
    url = server.database("national")
    load = bulk_load(url, n, seed)
    store = PostGISStore(url)
    m0, m1 = pd.Timestamp("2025-10-01"), pd.Timestamp("2025-11-01")
    y0, y1 = pd.Timestamp("2025-01-01"), pd.Timestamp("2026-01-01")
    queries: dict[str, Callable[[], Any]] = {
        "Ostrava, one month": lambda: store.incidents(districts=["Ostrava"], start=m0, end=m1),
        "Ostrava, one year": lambda: store.incidents(districts=["Ostrava"], start=y0, end=y1),
        "Praha, one month, one category": lambda: store.incidents(
            districts=["Praha"], categories=[CATEGORIES[0].code], start=m0, end=m1
        ),
        "whole country, one day": lambda: store.incidents(
            start=pd.Timestamp("2025-10-01"), end=pd.Timestamp("2025-10-02")
        ),
        "one MDT area (a village), all years": lambda: store.incidents(
            mdt_areas=["obec 0100 (synthetic)"]
        ),
    }
    results: dict[str, Any] = {}
    for name, query in queries.items():
        rows = len(query())
        results[name] = {"rows": rows, "seconds": median_time(query, repeats)}
    points, fetch_s = timed(
        lambda: store.incidents(districts=["Ostrava"], geocoded_only=True, start=y0, end=y1)
    )
    result, gistar_s = timed(lambda: run_method(points, method="gistar", cell_size_m=250.0))
    hot = int((result["hotspot_class"] >= 2).sum())
    return {
        "rows": n,
        "load": load,
        "queries": results,
        "gistar": {
            "city": "Ostrava",
            "incidents": len(points),
            "cells": len(result),
            "hot_cells_95": hot,
            "fetch_s": fetch_s,
            "gistar_s": gistar_s,
        },
    }


def extrapolate(nat: dict[str, Any], target: int = NATIONAL_TARGET) -> dict[str, Any]:
    """Scale the national figures to ``target`` rows (labelled: extrapolated, not measured)."""
    factor = target / nat["rows"]
    month, year = nat["queries"]["Ostrava, one month"], nat["queries"]["Ostrava, one year"]
    per_row = max(year["seconds"] - month["seconds"], 0.0) / max(year["rows"] - month["rows"], 1)
    fixed = max(month["seconds"] - per_row * month["rows"], 0.0)
    rows_month = month["rows"] * factor
    gistar = nat["gistar"]
    return {
        "label": "extrapolated from the measured run, not measured",
        "rows": target,
        "load_s": nat["load"]["load_s"] * factor,
        "total_gb": nat["load"]["total_mb"] * factor / 1e3,
        "ostrava_month_rows": rows_month,
        "ostrava_month_s": fixed + per_row * rows_month,
        "ostrava_year_rows": gistar["incidents"] * factor,
        "ostrava_year_fetch_s": fixed + per_row * gistar["incidents"] * factor,
        "gistar_s (same 250 m grid, more points per cell)": gistar["gistar_s"],
    }


def admin_url(given: str | None) -> str:
    if given:
        return given
    if os.environ.get("APK_GEO_TEST_PG_URL"):
        return os.environ["APK_GEO_TEST_PG_URL"]
    out = subprocess.run(
        ["bash", str(ROOT / "scripts" / "postgis.sh")], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--admin-url")
    parser.add_argument("--base", type=int, default=1_000_000)
    parser.add_argument("--national", type=int, default=2_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip", choices=("import", "national"), action="append", default=[])
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    server = Server(admin_url(args.admin_url))
    report: dict[str, Any] = {"prefix": server.prefix}
    try:
        if "import" not in args.skip:
            report["import"] = import_ratio(
                server, base=args.base, repeats=args.repeats, seed=args.seed
            )
            r = report["import"]
            for kind in ("one city, last month", "whole country, 2013-2025"):
                k = r[kind]
                print(
                    f"import 1,000 rows ({kind}): empty store {k['empty_s']:.3f} s, store of "
                    f"{r['base_rows']:,} {k['base_s']:.3f} s, ratio {k['ratio']:.2f} "
                    f"(medians of {args.repeats})",
                    flush=True,
                )
        if "national" not in args.skip:
            report["national"] = nat = national(
                server, n=args.national, repeats=args.repeats, seed=args.seed
            )
            ext = extrapolate(nat) if nat["rows"] < NATIONAL_TARGET else None
            report["extrapolated_14M"] = ext
            _print_national(nat, ext)
    finally:
        if not args.keep:
            server.drop()
    if args.json:
        print(json.dumps(report, indent=2, default=float))


def _print_national(nat: dict[str, Any], ext: dict[str, Any] | None) -> None:
    load = nat["load"]
    print(
        f"national load, {nat['rows']:,} synthetic rows: COPY {load['copy_s']:.1f} s, indexes "
        f"{load['index_s']:.1f} s, analyze {load['analyze_s']:.1f} s = {load['load_s']:.1f} s "
        f"({load['rows_per_s']:,.0f} rows/s); table {load['table_mb']:.0f} MB, with indexes "
        f"{load['total_mb']:.0f} MB"
    )
    for name, q in nat["queries"].items():
        print(f"  {name}: {q['rows']:,} rows in {q['seconds'] * 1000:.0f} ms")
    g = nat["gistar"]
    print(
        f"  Gi* for {g['city']}, 2025 ({g['incidents']:,} incidents, {g['cells']:,} cells of "
        f"250 m): read {g['fetch_s']:.2f} s + Gi* {g['gistar_s']:.2f} s; "
        f"{g['hot_cells_95']} hot cells"
    )
    if ext is None:
        print(f"measured at {nat['rows']:,} rows: nothing extrapolated")
        return
    print(f"{ext['label']} to {ext['rows']:,} rows:")
    for key, value in ext.items():
        if key not in ("label", "rows"):
            print(f"  {key}: {value:,.2f}")


if __name__ == "__main__":
    main()
