"""Disclosure control of the presenter packs: the attacker, the rule, and every pack it audits.

* The attacker (:func:`apk_geo.privacy.attack`, integer programs) against an independent brute
  force that enumerates every table consistent with what is shown.
* The leaks of issue 12, rebuilt by hand, are found (listed hot cells pinning their own count,
  a pool recovered from the total), and the packs no longer show them.
* A crafted store with tiny areas (0, 1, 2 incidents a month) and one dominant category, and
  the demo store: every presenter pack of every area (7 MDT areas, 23 districts) and every
  month passes the audit, the earlier one-column check (:func:`privacy.derivable_rows`) finds
  nothing, and an area with fewer than 3 incidents gets the few view (no hot cell, no place).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from apk_geo import privacy, reports
from apk_geo.cli import main
from apk_geo.config import Config
from apk_geo.privacy import LinearSystem, attack, safe_range
from apk_geo.store import open_store
from apk_geo.testing import make_store

ROOT = Path(__file__).resolve().parent.parent
K = privacy.MIN_COUNT


# ------------------------------------------------------------------------------- the rule


@pytest.mark.parametrize(
    ("low", "high", "shown", "safe"),
    [
        (1, 2, "small", True),  # "<3": both values stay possible
        (1, 1, "small", False),  # pinned to 1
        (2, 2, "small", False),  # pinned to 2
        (0, 5, "hidden", True),
        (4, 5, "hidden", True),  # two values
        (7, 7, "hidden", False),  # pinned
        (0, 0, "hidden", True),  # must be zero: an empty place reveals nobody
    ],
)
def test_safe_range(low: int, high: int, shown: privacy.Shown, safe: bool) -> None:
    assert safe_range(low, high, shown=shown) is safe


def test_safe_range_with_a_larger_threshold() -> None:
    # k = 5: "<5" keeps 1 … 4; a hidden count keeps at least 4 values
    assert safe_range(1, 4, shown="small", min_count=5)
    assert not safe_range(2, 4, shown="small", min_count=5)
    assert safe_range(3, 6, shown="hidden", min_count=5)
    assert not safe_range(3, 5, shown="hidden", min_count=5)


def test_a_fact_the_truth_breaks_is_refused() -> None:
    s = LinearSystem()
    a = s.var("a", 4)
    with pytest.raises(ValueError, match="false for the true counts"):
        s.equal({a: 1}, 5)


# ------------------------------------------------------------- the issue's leaks, by hand


def test_two_listed_hot_cells_pooled_as_small_are_each_one() -> None:
    # the old table: ranks 1 and 2 pooled as "<3"; the table lists only cells with incidents
    s = LinearSystem()
    c1, c2 = s.var("c1", 1), s.var("c2", 1)
    for c in (c1, c2):
        s.fact({c: 1}, low=1)  # a listed cell holds at least one incident
        s.protect({c: 1}, name=f"hotspots:{c}")
    s.show({c1: 1, c2: 1}, "<3", name="hotspots:pooled")
    found = {f.name: (f.low, f.high) for f in attack(s).findings}
    assert found == {"hotspots:0": (1, 1), "hotspots:1": (1, 1), "hotspots:pooled": (2, 2)}


def test_a_pool_is_recovered_from_the_total() -> None:
    # Petřkovice 2026-11: total 6, outcomes shown 4, 0 and a pool "<3" → the pool is 2
    s = LinearSystem()
    total = s.var("N", 6)
    o = [s.var(f"o{i}", v) for i, v in enumerate([4, 2, 0, 0])]
    s.equal({**dict.fromkeys(o, 1.0), total: -1}, 0)
    s.show({total: 1}, "6", name="figures:0")
    s.show({o[0]: 1}, "4", name="outcomes:a")
    s.show({o[2]: 1}, "0", name="outcomes:c")
    s.show({o[1]: 1, o[3]: 1}, "<3", name="outcomes:pooled")
    (f,) = [f for f in attack(s).findings if f.name == "outcomes:pooled"]
    assert (f.low, f.high, f.truth) == (2, 2, 2)


def test_a_percentage_gives_its_base_away() -> None:
    # 9 this month and "+200 %" against a hidden previous month: 9 / 3 − 1 = 200 %
    s = LinearSystem()
    n, b = s.var("n", 9), s.var("b", 3)
    s.show({n: 1}, "9", name="figures:0")
    s.protect({b: 1}, name="figures:1")
    s.fact({b: 1}, low=1)
    s.fact({n: 100, b: -(100 + 200 + 0.5)}, high=0)
    s.fact({n: 100, b: -(100 + 200 - 0.5)}, low=0)
    (f,) = attack(s).findings
    assert (f.name, f.low, f.high) == ("figures:1", 3, 3)


# --------------------------------------------------- the attacker against a brute force


def _brute_force(
    values: np.ndarray, shown: np.ndarray, *, hidden_cap: int
) -> dict[str, tuple[int, int]]:
    """Ranges of every hidden cell, margin and total of a table, by enumeration."""
    rows, cols = values.shape
    texts = _texts(values, shown)
    free = [(i, j) for i in range(rows) for j in range(cols) if not _exact(texts[i][j])]
    choices = [range(1, K) if texts[i][j] == f"<{K}" else range(hidden_cap + 1) for i, j in free]
    seen: dict[str, set[int]] = {}
    for combo in itertools.product(*choices):
        table = values.copy()
        for (i, j), v in zip(free, combo, strict=True):
            table[i, j] = v
        margins = _margins(table)
        if any(
            (_exact(t) and int(t) != v) or (t == f"<{K}" and not 0 < v < K)
            for t, v in zip(_margin_texts(values), margins, strict=True)
        ):
            continue
        for (i, j), v in zip(free, combo, strict=True):
            seen.setdefault(f"cell:{i}:{j}", set()).add(v)
    return {name: (min(v), max(v)) for name, v in seen.items()}


def _exact(text: str) -> bool:
    return text.isdigit()


def _texts(values: np.ndarray, shown: np.ndarray) -> list[list[str]]:
    return [
        [privacy.format_count(v) if keep else "–" for v, keep in zip(row, keep_row, strict=True)]
        for row, keep_row in zip(values, shown, strict=True)
    ]


def _margins(table: np.ndarray) -> list[int]:
    return [*table.sum(axis=1).tolist(), *table.sum(axis=0).tolist(), int(table.sum())]


def _margin_texts(values: np.ndarray) -> list[str]:
    return [privacy.format_count(v) for v in _margins(values)]


def _system(values: np.ndarray, shown: np.ndarray) -> LinearSystem:
    """The table, its row and column totals and the grand total, as shown."""
    s = LinearSystem()
    rows, cols = values.shape
    x = {(i, j): s.var(f"x{i}{j}", int(values[i, j])) for i in range(rows) for j in range(cols)}
    texts = _texts(values, shown)
    for (i, j), var in x.items():
        s.show({var: 1}, texts[i][j], name=f"cell:{i}:{j}")
    margins = _margin_texts(values)
    groups = [[x[(i, j)] for j in range(cols)] for i in range(rows)]
    groups += [[x[(i, j)] for i in range(rows)] for j in range(cols)]
    groups.append(list(x.values()))
    for k, (group, text) in enumerate(zip(groups, margins, strict=True)):
        s.show(dict.fromkeys(group, 1.0), text, name=f"margin:{k}")
    return s


@given(
    data=st.data(),
    shape=st.tuples(st.integers(2, 3), st.integers(2, 3)),
)
@settings(max_examples=120, deadline=None)
@pytest.mark.slow
def test_attacker_agrees_with_brute_force(data: st.DataObject, shape: tuple[int, int]) -> None:
    rows, cols = shape
    values = np.array(
        data.draw(st.lists(st.integers(0, 5), min_size=rows * cols, max_size=rows * cols))
    ).reshape(shape)
    withheld = data.draw(st.sets(st.integers(0, rows * cols - 1), max_size=2))
    shown = np.ones(shape, dtype=bool)
    for w in withheld:
        shown[divmod(w, cols)] = False
    cap = int(values.sum())
    ranges = _brute_force(values, shown, hidden_cap=cap)
    texts = _texts(values, shown)
    expected = set()
    for name, (lo, hi) in ranges.items():
        i, j = map(int, name.split(":")[1:])
        kind: privacy.Shown = "small" if texts[i][j] == f"<{K}" else "hidden"
        # a withheld cell is also bounded by the grand total (≤ cap): the brute force's cap
        if not safe_range(lo, hi, shown=kind):
            expected.add(name)
    found = {f.name for f in attack(_system(values, shown)).findings if f.name.startswith("cell")}
    assert found == expected


# --------------------------------------------------------------- a store of tiny areas

#: District → (incidents a month, categories cycled, outcome), the crafted store's plan.
TINY_PLAN: dict[str, tuple[list[int], list[str], str]] = {
    "Martinov": ([1], ["dogs"], "resolved_on_spot"),  # always one incident
    "Lhotka": ([2], ["noise", "dogs"], "referred"),  # always two
    "Nová Ves": ([0, 1, 2, 3], ["alcohol"], "no_action"),  # 0, 1, 2, 3, 0, …
    "Plesná": ([4], ["littering"], "patrol_called"),  # four, one category, one outcome
    "Pustkovec": ([3, 0], ["dogs", "alcohol", "noise"], "resolved_on_spot"),
}
#: Poruba: one dominant category (dogs) clustered at an SVL, a few others around.
PORUBA_DOMINANT = 18
MONTHS = pd.period_range("2024-01", "2025-06", freq="M")


def _inside(poly: shapely.Geometry, rng: np.random.Generator, n: int) -> list[shapely.Point]:
    minx, miny, maxx, maxy = poly.bounds
    out: list[shapely.Point] = []
    while len(out) < n:
        p = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if poly.contains(p):
            out.append(p)
    return out


def _tiny_rows(districts: gpd.GeoDataFrame, centre: shapely.Point) -> list[dict[str, object]]:
    rng = np.random.default_rng(7)
    area_of = Config().mdt_areas
    geom = dict(zip(districts["NAZEV"], districts.geometry, strict=True))
    code = dict(zip(districts["NAZEV"], districts["KOD"].astype(str), strict=True))
    rows: list[dict[str, object]] = []

    def add(name: str, when: pd.Timestamp, point: shapely.Point, cat: str, out: str) -> None:
        rows.append(
            {
                "id": f"t{len(rows)}",
                "reported_at": when,
                "category": cat,
                "outcome": out,
                "x_5514": point.x,
                "y_5514": point.y,
                "district_code": code[name],
                "district_name": name,
                "mdt_area": area_of.get(name),
                "note": "KANAR-T1NY",
                "assistant": "KANAR-T1NY",
            }
        )

    for k, month in enumerate(MONTHS):
        start = month.start_time
        for name, (counts, cats, outcome) in TINY_PLAN.items():
            n = counts[k % len(counts)]
            for i, p in enumerate(_inside(geom[name], rng, n)):
                when = start + pd.Timedelta(days=1 + 3 * i, hours=10)
                add(name, when, p, cats[i % len(cats)], outcome)
        for i in range(PORUBA_DOMINANT + 2):
            dogs = i < PORUBA_DOMINANT
            p = (
                shapely.Point(centre.x + rng.normal(0, 40), centre.y + rng.normal(0, 40))
                if dogs and i < 12
                else _inside(geom["Poruba"], rng, 1)[0]
            )
            cat = "dogs" if dogs else ("alcohol" if i % 2 else "syringes")
            out = "resolved_on_spot" if i % 5 else "referred"
            add("Poruba", start + pd.Timedelta(days=1 + i, hours=18), p, cat, out)
    return rows


def build_tiny_store(path: Path) -> Path:
    """The crafted store: tiny areas and one dominant category (see :data:`TINY_PLAN`)."""
    districts = gpd.read_file(ROOT / "data" / "ostrava_mestske_obvody_23_wgs84.geojson")
    districts = districts.to_crs(5514)
    city = gpd.read_file(ROOT / "data" / "ostrava_obec_dissolved_wgs84.geojson")
    poruba = districts.loc[districts["NAZEV"] == "Poruba"].geometry.iloc[0]
    centre = poruba.representative_point()
    svl = gpd.GeoDataFrame(
        {"name": ["SVL Malá"], "source": ["test"], "synthetic": [True]},
        geometry=[centre.buffer(300)],
        crs=5514,
    )
    hostels = gpd.GeoDataFrame(
        {"name": ["Ubytovna Malá"], "kind": ["hostel"], "synthetic": [True]},
        geometry=[shapely.Point(centre.x + 500, centre.y)],
        crs=5514,
    )
    make_store(
        path,
        _tiny_rows(districts, centre),
        layers={"districts": districts, "city": city, "svl": svl, "hostels": hostels},
        metadata={"synthetic": "true"},
    )
    return path


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> reports.ReportData:
    path = build_tiny_store(tmp_path_factory.mktemp("tiny") / "tiny.gpkg")
    return reports.ReportData.from_store(open_store(path))


def _all_areas(data: reports.ReportData) -> list[reports.AreaRef]:
    names = sorted(set(data.layers["districts"]["NAZEV"].astype(str)))
    mdt = reports.resolve_areas("all", config=data.config, districts=names)
    return [*mdt, *(reports.AreaRef(d, "district") for d in names)]


def _check_pack(pack: reports.Pack) -> list[str]:
    """Everything the audit and the earlier check find in one presenter pack."""
    problems = [f"{f.name} in [{f.low}, {f.high}]" for f in reports.audit_pack(pack).findings]
    problems += [
        f"derivable {name}:{col} rows {rows}"
        for (name, col), rows in _one_column_checks(pack).items()
        if rows
    ]
    k = pack.min_count
    if (pack.hotspots["n"] < k).any():
        problems.append("a listed hot cell holds fewer than k incidents")
    if 0 < pack.figures.n < k:
        view = pack.view
        if view is None or not view.few:
            problems.append("an area with 1 … k − 1 incidents is not the few view")
        if not pack.hotspots.empty or pack.new_hotspots or (pack.cells["hotspot_class"] != 0).any():
            problems.append("the few view names or marks a cell")
    return problems


def _one_column_checks(pack: reports.Pack) -> dict[tuple[str, str], list[int]]:
    """:func:`privacy.derivable_rows` on every count column against its key figure."""
    tabs = reports.tables(pack)
    f, lg = pack.figures, pack.lang
    totals = {
        reports.text("this_month", lg): pack.count(f.n),
        reports.text("prev_month", lg): pack.count(f.n_previous),
        reports.text("year_before", lg): pack.count(f.n_year_before),
    }
    out = {}
    for name in ("categories", "outcomes", "hotspots", "places"):
        tab = tabs[name]
        for col in tab.columns:
            head = reports.text("this_month", lg) if col == "Počet" else col
            no_data = reports.text("no_data", lg)
            if head in totals and not tab.empty and totals[head] != no_data:
                out[(name, str(col))] = privacy.derivable_rows(
                    [v if v != no_data else "–" for v in tab[col].astype(str)],
                    totals[head],
                    complete=name in ("categories", "outcomes"),
                )
    return out


@pytest.mark.slow
def test_every_pack_of_the_tiny_store_passes_the_attacker(tiny: reports.ReportData) -> None:
    problems: dict[str, list[str]] = {}
    few = 0
    for ref in _all_areas(tiny):
        for month in tiny.months():
            pack = reports.build_pack(tiny, area=ref, month=month)
            few += bool(pack.view and pack.view.few)
            found = _check_pack(pack)
            if found:
                problems[f"{ref.name} {month}"] = found
    assert problems == {}
    assert few > 0  # Martinov, Lhotka, Nová Ves …


def test_the_audit_reads_an_english_pack_as_fully_as_a_czech_one(
    demo: reports.ReportData,
) -> None:
    # English writes "−31%" and "12%", Czech "−31 %" and "12 %": the audit must read both, or
    # an English pack's percentages would silently give the attacker nothing to work with
    ref = reports.AreaRef("Poruba", "district")
    month = next(m for m in demo.months() if reports.build_pack(demo, area=ref, month=m)
                 .figures.n_previous)  # fmt: skip
    cs = reports.build_pack(demo, area=ref, month=month)
    en = reports.build_pack(demo, area=ref, month=month, lang="en")
    texts = {p.lang: " ".join(reports.tables(p)["figures"].astype(str).to_numpy().ravel())
             for p in (cs, en)}  # fmt: skip
    assert re.search(r"[+−±]\d+ %", texts["cs"]) and re.search(r"[+−±]\d+%", texts["en"]), texts
    facts_cs, facts_en = reports.pack_system(cs).facts, reports.pack_system(en).facts
    assert len(facts_en) == len(facts_cs) > 0
    assert sorted(map(str, facts_en)) == sorted(map(str, facts_cs))


@pytest.mark.parametrize("district", ["Martinov", "Lhotka"])
def test_a_tiny_area_gets_the_few_view(tiny: reports.ReportData, district: str) -> None:
    pack = reports.build_pack(tiny, area=district, month="2025-03")
    assert 0 < pack.figures.n < K and pack.view is not None and pack.view.few
    tabs = reports.tables(pack)
    assert tabs["figures"].iloc[0, 1] == "<3"
    assert all(tabs[t].empty for t in ("categories", "outcomes", "hotspots", "places"))
    assert pack.hotspots.empty and not pack.new_hotspots and not pack.intensifying_hotspots
    page = reports.render_html(pack)
    assert "méně než 3 události" in page
    assert "KANAR" not in page
    # the map: the area's outline and context, no Gi* class, no rank marker, no stop
    html = reports.map_html(pack)
    assert (pack.cells["hotspot_class"] == 0).all()
    assert "L.marker(" not in html and '"tip": "hotspot' not in html
    assert "u zastávky" not in page and "čtverec" not in page


def test_an_empty_area_shows_zeros(tiny: reports.ReportData) -> None:
    pack = reports.build_pack(tiny, area="Hrabová", month="2025-03")
    assert pack.figures.n == 0 and pack.view is not None and not pack.view.few
    assert reports.tables(pack)["figures"].iloc[:, 1].tolist() == ["0", "0", "0"]
    assert reports.audit_pack(pack).safe


def test_one_dominant_category_with_a_small_rest_is_not_shown_alone(
    tiny: reports.ReportData,
) -> None:
    # 18 dogs and 2 others of 20: "psi 18" next to the total 20 says the others are 2,
    # whichever way they are pooled, so the table shows one pooled row (the total)
    pack = reports.build_pack(tiny, area=reports.AreaRef("Poruba", "district"), month="2025-03")
    assert pack.categories.set_index("category")["n"].to_dict() == {
        "dogs": PORUBA_DOMINANT, "alcohol": 1, "syringes": 1
    }  # fmt: skip
    cat = reports.tables(pack)["categories"]
    assert cat.iloc[:, 0].tolist() == ["ostatní (malé počty)"]
    assert cat.iloc[0, 1] == str(PORUBA_DOMINANT + 2)
    assert "categories:pool" in pack.params["disclosure"]["steps"]
    assert reports.audit_pack(pack).safe
    # the unaudited view (dogs shown, the two others pooled as "<3") is caught
    unaudited = dataclasses.replace(pack, view=reports.initial_view(pack))
    assert "categories:pooled:0" in {f.name for f in reports.audit_pack(unaudited).findings}
    # the cluster at the SVL is a listed hot cell with at least 3 incidents
    assert not pack.hotspots.empty and (pack.hotspots["n"] >= K).all()


def test_a_tiny_area_log_and_json_show_no_exact_count(
    tiny: reports.ReportData,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with caplog.at_level(logging.INFO, logger="apk_geo.reports.data"):
        reports.build_pack(tiny, area="Lhotka", month="2025-03")
    (line,) = [r.getMessage() for r in caplog.records if "Lhotka" in r.getMessage()]
    assert "<3 incidents" in line and " 2 incidents" not in line
    store = tmp_path / "t.gpkg"
    build_tiny_store(store)
    code = main(
        ["report", "--store", str(store), "--area", "Lhotka", "--month", "2025-03",
         "--format", "html", "--out", str(tmp_path / "out"), "--json"]
    )  # fmt: skip
    assert code == 0
    (row,) = json.loads(capsys.readouterr().out)["packs"]
    assert row["incidents"] == "<3" and row["few"] is True
    assert Path(row["files"]["html"]).name == "lhotka_2025-03.html"


def test_the_internal_tier_is_unchanged_and_stamped(tiny: reports.ReportData) -> None:
    pack = reports.build_pack(tiny, area="Lhotka", month="2025-03", tier="internal")
    assert reports.tables(pack)["figures"].iloc[0, 1] == "2"
    assert pack.points is not None and len(pack.points) == 2
    assert pack.view is not None and not pack.view.few
    assert reports.render_html(pack).count("INTERNÍ") >= 3


# ---------------------------------------------------------------------- the demo store


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[reports.ReportData]:
    from apk_geo.demo import build_demo_store

    path = tmp_path_factory.mktemp("demo") / "demo.gpkg"
    build_demo_store(path, seed=42)
    yield reports.ReportData.from_store(open_store(path))


@pytest.mark.slow
def test_every_pack_of_the_demo_store_passes_the_attacker(demo: reports.ReportData) -> None:
    problems: dict[str, list[str]] = {}
    steps: dict[str, int] = {}
    months = demo.months()
    areas = _all_areas(demo)
    assert len(areas) == 30 and len(months) >= 30
    for ref in areas:
        for month in months:
            pack = reports.build_pack(demo, area=ref, month=month)
            for step in pack.params["disclosure"]["steps"]:
                steps[step.split(":")[0]] = steps.get(step.split(":")[0], 0) + 1
            found = _check_pack(pack)
            if found:
                problems[f"{ref.name} {month}"] = found
    assert problems == {}
    # the audit did ask for more than the first pooling somewhere (it is not idle)
    assert steps.get("outcomes", 0) > 0 and steps.get("few", 0) > 0


@pytest.mark.slow
def test_the_issue_examples_are_closed(demo: reports.ReportData) -> None:
    # Petřkovice 2026-11: total 6, outcomes 4, 0 and "<3" gave the pool (2) away
    pack = reports.build_pack(demo, area="Petřkovice", month="2026-11")
    out = reports.tables(pack)["outcomes"]
    assert "<3" not in out.iloc[:, 1].tolist()
    unaudited = reports.audit_pack(dataclasses.replace(pack, view=reports.initial_view(pack)))
    assert any(f.table == "outcomes" for f in unaudited.findings)
    # Hrabová 2026-05 and Svinov 2025-12: no hot cell with fewer than 3 incidents is listed
    for area, month in (("Hrabová", "2026-05"), ("Svinov", "2025-12")):
        pack = reports.build_pack(demo, area=area, month=month)
        assert (pack.hotspots["n"] >= K).all()
        assert reports.audit_pack(pack).safe


def _cp_sat_range(system: LinearSystem, coeffs: dict[int, float]) -> tuple[int, int]:
    """The exact integer range of ``coeffs·x`` by OR-Tools CP-SAT (an independent solver)."""
    from ortools.sat.python import cp_model

    bound = 10 * max(1, max(system.truth, default=1)) + 1000
    lo_hi = []
    for sense in (1, -1):
        model = cp_model.CpModel()
        x = [model.new_int_var(0, bound, name) for name in system.names]
        for terms, low, high in system.facts:
            # every fact's coefficients are multiples of 1/200 (rounded percentages)
            expr = sum(round(200 * c) * x[i] for i, c in terms.items())
            if low > -np.inf:
                model.add(expr >= round(200 * low))
            if high < np.inf:
                model.add(expr <= round(200 * high))
        objective = sum(round(c) * x[i] for i, c in coeffs.items())
        model.minimize(sense * objective)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = 30
        assert solver.solve(model) == cp_model.OPTIMAL
        lo_hi.append(round(solver.objective_value) * sense)
    return lo_hi[0], lo_hi[1]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("area", "month", "refused"),
    [
        ("Petřkovice", "2026-11", True),  # the issue's outcome pool
        ("Moravská Ostrava a Přívoz", "2025-07", True),  # a category pool of 2
        ("Sever", "2026-11", False),  # primary suppression and pooling were enough
    ],
)
def test_a_second_solver_confirms_the_audit(
    demo: reports.ReportData, area: str, month: str, refused: bool
) -> None:
    pack = reports.build_pack(demo, area=area, month=month)
    system = reports.pack_system(pack)
    assert system.targets
    for target in system.targets:
        if not target.coeffs:
            continue
        low, high = _cp_sat_range(system, dict(target.coeffs))
        assert low <= target.truth <= high
        assert safe_range(low, high, shown=target.shown), target.name
    # and the view before the audit, which the audit refused, fails for CP-SAT too
    bare = reports.pack_system(dataclasses.replace(pack, view=reports.initial_view(pack)))
    found = {f.name for f in attack(bare).findings}
    assert bool(found) is refused
    for target in bare.targets:
        if target.coeffs and target.name in found:
            low, high = _cp_sat_range(bare, dict(target.coeffs))
            assert not safe_range(low, high, shown=target.shown), target.name


def test_the_threshold_comes_from_the_config(tiny: reports.ReportData) -> None:
    five = reports.ReportData.from_frames(
        tiny.incidents, tiny.layers, metadata=tiny.metadata, config=Config(min_public_count=5)
    )
    # Plesná has 4 incidents a month: shown at k = 3, too few at k = 5
    at3 = reports.build_pack(tiny, area="Plesná", month="2025-03")
    at5 = reports.build_pack(five, area="Plesná", month="2025-03")
    assert reports.tables(at3)["figures"].iloc[0, 1] == "4"
    assert at3.view is not None and not at3.view.few
    assert reports.tables(at5)["figures"].iloc[0, 1] == "<5"
    assert at5.view is not None and at5.view.few and at5.min_count == 5
    poruba = reports.build_pack(five, area=reports.AreaRef("Poruba", "district"), month="2025-03")
    assert reports.audit_pack(poruba).safe and (poruba.hotspots["n"] >= 5).all()
    assert "pod 5" in dict(reports.notes(poruba))["Malé počty"]


def test_a_skipped_trend_is_explained_without_numbers(tiny: reports.ReportData) -> None:
    pack = reports.build_pack(tiny, area="Martinov", month="2025-03")
    note = "none of the 2 points falls in a grid cell within the complete periods"
    for tier, shown in (("presenter", False), ("internal", True)):
        p = dataclasses.replace(
            pack, tier=tier, notes=dataclasses.replace(pack.notes, emerging_note=note)
        )
        text = dict(reports.notes(p))["Vývoj (12 měsíců)"]
        assert (note in text) is shown
        assert shown or "málo dat" in text
