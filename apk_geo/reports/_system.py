"""The attacker's reading of a pack: everything it shows, as one system of linear facts.

:func:`pack_system` reads a pack the way a reader with a spreadsheet would — from the display
text of its tables (:func:`apk_geo.reports.tables.tables`), its "what changed" lines, its map
(rank markers, marked hot cells, SVL and hostel outlines) — and writes what
they say as an :class:`apk_geo.privacy.LinearSystem` over the true counts:

* **unknowns** — the key figures ``N[m]`` of this month (``m = 0``), the month before (1) and
  the same month a year earlier (2); every category code ``C[c, m]`` of the public code list;
  every outcome ``O[o]``; and the *atoms* of the map, ``A[m, region, places]``: the incidents of
  a month in one region (a listed hot cell, an unlisted marked hot cell, the rest of the area)
  and one set of places (SVLs, hostel buffers), for every set that the region's geometry
  allows (:mod:`apk_geo.reports._atoms`);
* **facts** — categories, outcomes and atoms each add up to the key figures (one total split
  several ways); every exact cell is an equality, every ``"<k"`` cell ``1 ≤ x ≤ k − 1``; a
  change ``+5`` is ``n − n_prev = 5``; a percentage or share is the pair of linear bounds its
  rounding allows; a listed hot cell holds at least ``k`` incidents (the listing rule), cells
  of one Gi* class are listed by count, and an unlisted marked hot cell holds fewer than ``k``
  (or no more than the last listed cell when the table is full); a rate or ratio shown next
  to a hidden count gives the count away (the reader can measure the area on the map);
* **targets** — every count of the pack's tables not shown exactly (``"<k"``, ``"–"``, merged
  into a pooled row or in a withheld column), and every pooled row.

The Gi* and emerging classes are not modelled beyond the rank order (they are non-linear
functions of every count); the map marks no class that points to fewer than ``k`` incidents.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

import pandas as pd
import shapely

from apk_geo.i18n import t
from apk_geo.privacy import LinearSystem
from apk_geo.reports._atoms import place_shapes, signatures
from apk_geo.reports._view import View
from apk_geo.reports.data import Pack
from apk_geo.reports.tables import _view, changed_items, tables
from apk_geo.schema import CATEGORIES, OUTCOMES

__all__ = ["pack_system"]

_PCT: Final = re.compile(r"^([+−±])(\d+) ?%$")
_DIFF: Final = re.compile(r"^([+−±])(\d+)$")
_CHANGE: Final = re.compile(r"^(.*): (\S+) → (\S+)$")
_NO_VALUE: Final = "–"

Coeffs = dict[int, float]


def pack_system(pack: Pack) -> LinearSystem:
    """Return the system of facts and targets that everything ``pack`` shows implies.

    Parameters
    ----------
    pack
        A presenter pack (its :attr:`~apk_geo.reports.Pack.atoms` hold the map's true
        counts); an internal pack's system has no targets worth attacking.

    Returns
    -------
    LinearSystem
        Unknowns with their true values, the facts and the targets (named
        ``"<table>:<row>:<month>"``); :func:`apk_geo.privacy.attack` solves it.
    """
    view = _view(pack)
    tabs = tables(pack)
    system = LinearSystem(min_count=pack.min_count)
    totals = _key_figures(system, pack, tabs["figures"])
    _categories(system, pack, tabs["categories"], totals)
    _outcomes(system, pack, tabs["outcomes"], totals)
    if view.shows("hotspots") or view.shows("places"):
        space = _Space.build(system, pack, totals, view)
        _hotspots(system, pack, tabs["hotspots"], space)
        _places(system, pack, tabs["places"], space, totals)
    _changed(system, pack)
    return system


# ----------------------------------------------------------------------------- helpers


def _sum(variables: Iterable[int]) -> Coeffs:
    out: Coeffs = {}
    for v in variables:
        out[v] = out.get(v, 0.0) + 1.0
    return out


def _minus(a: Mapping[int, float], b: Mapping[int, float]) -> Coeffs:
    out = dict(a)
    for i, c in b.items():
        out[i] = out.get(i, 0.0) - c
    return out


def _signed(text: str, pattern: re.Pattern[str]) -> int | None:
    m = pattern.match(text.strip())
    if not m:
        return None
    return -int(m.group(2)) if m.group(1) == "−" else int(m.group(2))


def _months(pack: Pack) -> dict[int, int]:
    """Month offset → true total, for the months the store covers."""
    f = pack.figures
    out = {0: f.n}
    if f.n_previous is not None:
        out[1] = f.n_previous
    if f.n_year_before is not None:
        out[2] = f.n_year_before
    return out


def _percent(system: LinearSystem, n: int, base: int, pct: int) -> None:
    """The facts of ``100 (n − base) / base`` shown rounded to ``pct``: two linear bounds."""
    system.fact({base: 1}, low=1)
    system.fact({n: 100, base: -(100 + pct + 0.5)}, high=0)
    system.fact({n: 100, base: -(100 + pct - 0.5)}, low=0)


def _share(system: LinearSystem, part: Mapping[int, float], total: int, pct: int) -> None:
    """The facts of ``100 part / total`` shown rounded to ``pct``."""
    system.fact({**_minus(part, {}), total: -(pct + 0.5) / 100}, high=0)
    system.fact({**_minus(part, {}), total: -(pct - 0.5) / 100}, low=0)


def _columns(frame: pd.DataFrame, lang: str) -> dict[str, int]:
    """Header → month offset of a table's count columns (this, previous, year before)."""
    heads = {t("pack.this_month", lang): 0, t("pack.prev_month", lang): 1}
    heads[t("pack.year_before", lang)] = 2
    heads[t("field.count", lang)] = 0
    return {h: m for h, m in heads.items() if h in frame.columns}


def _exact(text: str) -> bool:
    return text.strip().isdigit()


# ------------------------------------------------------------------------- key figures


def _key_figures(system: LinearSystem, pack: Pack, figures: pd.DataFrame) -> dict[int, int]:
    """The key figures: one unknown per covered month, its card and the changes shown."""
    totals = {m: system.var(f"N:{m}", v) for m, v in _months(pack).items()}
    counts = figures.iloc[:, 1].astype(str).tolist()
    changes = figures.iloc[:, 2].astype(str).tolist()
    for m, var in totals.items():
        system.show({var: 1}, counts[m], name=f"figures:{m}")
    for m in (1, 2):
        pct = _signed(changes[m], _PCT)
        if pct is not None and m in totals:
            _percent(system, totals[0], totals[m], pct)
    return totals


# ------------------------------------------------------------------ categories, outcomes


def _table_rows(
    system: LinearSystem,
    frame: pd.DataFrame,
    *,
    name: str,
    label_of: Mapping[str, Hashable],
    cell: Mapping[tuple[Hashable, int], int],
    codes: Iterable[Hashable],
    lang: str,
) -> set[tuple[Hashable, int]]:
    """Read a table of rows by label (and the pooled row); return the cells shown exactly."""
    cols = _columns(frame, lang)
    listed = [label_of[str(v)] for v in frame.iloc[:, 0] if str(v) in label_of]
    pool = [c for c in codes if c not in set(listed)]
    exact: set[tuple[Hashable, int]] = set()
    change = t("pack.change", lang)
    for _, row in frame.iterrows():
        label = str(row.iloc[0])
        members = [label_of[label]] if label in label_of else pool
        key = label_of.get(label, "pooled")
        exprs = {}
        for head, m in cols.items():
            if any((c, m) not in cell for c in members):
                continue
            exprs[m] = _sum(cell[(c, m)] for c in members)
            text = str(row[head])
            system.show(exprs[m], text, name=f"{name}:{key}:{m}")
            if _exact(text) and len(members) == 1:
                exact.add((members[0], m))
        diff = _signed(str(row[change]), _DIFF) if change in frame.columns else None
        if diff is not None and 0 in exprs and 1 in exprs:
            system.equal(_minus(exprs[0], exprs[1]), diff)
    return exact


def _protect_rest(
    system: LinearSystem,
    *,
    name: str,
    cell: Mapping[tuple[Hashable, int], int],
    data_cells: Iterable[tuple[Hashable, int]],
    exact: set[tuple[Hashable, int]],
) -> None:
    """Targets for every data cell not shown exactly (pooled, withheld or in a dropped column)."""
    for code, m in data_cells:
        if (code, m) not in exact:
            system.protect({cell[(code, m)]: 1}, name=f"{name}:{code}:{m}")


def _categories(
    system: LinearSystem, pack: Pack, frame: pd.DataFrame, totals: Mapping[int, int]
) -> None:
    cat = pack.categories
    codes = list(dict.fromkeys([*cat["category"].astype(str), *(c.code for c in CATEGORIES)]))
    truth = {
        (str(r.category), m): _opt(v)
        for r in cat.itertuples()
        for m, v in ((0, r.n), (1, r.n_previous), (2, r.n_year_before))
    }
    cell = {(c, m): system.var(f"C:{c}:{m}", truth.get((c, m)) or 0) for c in codes for m in totals}
    for m, total in totals.items():
        system.equal(_minus(_sum(cell[(c, m)] for c in codes), {total: 1}), 0)
    label_of = {str(r.label): str(r.category) for r in cat.itertuples()}
    label_of.pop(t("pack.pooled", pack.lang), None)
    exact = _table_rows(
        system, frame, name="categories", label_of=label_of, cell=cell, codes=codes, lang=pack.lang
    )
    data_cells = [(str(c), m) for c in cat["category"] for m in totals]
    _protect_rest(system, name="categories", cell=cell, data_cells=data_cells, exact=exact)


def _outcomes(
    system: LinearSystem, pack: Pack, frame: pd.DataFrame, totals: Mapping[int, int]
) -> None:
    out = pack.outcomes
    codes = list(dict.fromkeys([*out["outcome"].astype(str), *(o.code for o in OUTCOMES)]))
    truth = dict(zip(out["outcome"].astype(str), out["n"].astype(int), strict=True))
    cell = {(c, 0): system.var(f"O:{c}", truth.get(c, 0)) for c in codes}
    system.equal(_minus(_sum(cell.values()), {totals[0]: 1}), 0)
    label_of = {str(r.label): str(r.outcome) for r in out.itertuples()}
    exact = _table_rows(
        system, frame, name="outcomes", label_of=label_of, cell=cell, codes=codes, lang=pack.lang
    )
    share = t("pack.share", pack.lang)
    if share in frame.columns:
        listed = {label_of[str(v)] for v in frame.iloc[:, 0] if str(v) in label_of}
        for label, text in zip(frame.iloc[:, 0].astype(str), frame[share].astype(str), strict=True):
            pct = re.match(r"^(\d+) ?%$", text)
            if pct is None:
                continue
            members = (
                [label_of[label]] if label in label_of else [c for c in codes if c not in listed]
            )
            _share(system, _sum(cell[(c, 0)] for c in members), totals[0], int(pct.group(1)))
    _protect_rest(
        system,
        name="outcomes",
        cell=cell,
        data_cells=[(str(c), 0) for c in out["outcome"]],
        exact=exact,
    )


def _opt(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


# ------------------------------------------------------------------------------ the map


@dataclass
class _Space:
    """The map's atoms: per month, each region's incidents by set of places."""

    #: (month, cell id) → the cell's count as a combination of atoms (listed and marked cells).
    cells: dict[tuple[int, int], Coeffs] = field(default_factory=dict)
    #: (month, place position) → the place's count.
    places: dict[tuple[int, int], Coeffs] = field(default_factory=dict)
    #: Cell id → Gi* class of the cells the table lists or the map marks.
    marked: dict[int, int] = field(default_factory=dict)

    @classmethod
    def build(
        cls, system: LinearSystem, pack: Pack, totals: Mapping[int, int], view: View
    ) -> _Space:
        space = cls()
        area = pack.area_shape.geometry.iloc[0]
        shapes = place_shapes(
            pack.places, pack.svl, pack.hostels, area, buffer_m=pack.hostel_buffer_m
        )
        cells = pack.cells
        cls_of = dict(
            zip(cells["cell_id"].astype(int), cells["hotspot_class"].astype(int), strict=True)
        )
        if view.shows("hotspots"):
            space.marked = {c: k for c, k in cls_of.items() if k > 0}
        regions = _regions(cells, area, space.marked)
        atoms = (
            pack.atoms
            if pack.atoms is not None
            else pd.DataFrame({"month": [], "cell_id": [], "places": [], "n": []})
        )
        for m in (0, 1):
            if m not in totals:
                continue
            month_atoms = atoms.loc[atoms["month"] == m]
            everything: Coeffs = {}
            for key, geom in regions.items():
                in_region = (
                    month_atoms["cell_id"].isin([key])
                    if key >= 0
                    else ~month_atoms["cell_id"].isin(list(space.marked))
                )
                truth = month_atoms.loc[in_region].groupby("places")["n"].sum()
                sigs = signatures(geom, shapes) | set(truth.index)
                region: Coeffs = {}
                for sig in sorted(sigs):
                    v = system.var(f"A:{m}:{key}:{'.'.join(map(str, sig))}", int(truth.get(sig, 0)))
                    region[v] = 1.0
                    everything[v] = 1.0
                    for j in sig:
                        space.places.setdefault((m, j), {})[v] = 1.0
                if key >= 0:
                    space.cells[(m, key)] = region
            system.equal(_minus(everything, {totals[m]: 1}), 0)
        return space


def _regions(
    cells: pd.DataFrame, area: shapely.Geometry, marked: Mapping[int, int]
) -> dict[int, shapely.Geometry]:
    """Cell id → the cell inside the area, for marked cells; ``-1`` → the rest of the area."""
    geoms = dict(zip(cells["cell_id"].astype(int), cells.geometry, strict=True))
    out = {c: shapely.intersection(geoms[c], area) for c in marked}
    taken = shapely.union_all(list(out.values())) if out else shapely.Polygon()
    out[-1] = shapely.difference(area, taken)
    return out


def _hotspots(system: LinearSystem, pack: Pack, frame: pd.DataFrame, space: _Space) -> None:
    """The hot-cell table and the map's markers: counts, the listing rule, rank order."""
    k = pack.min_count
    by_rank = {int(r.rank): int(r.cell_id) for r in pack.hotspots.itertuples()}
    cols = _columns(frame, pack.lang)
    change = t("pack.change", pack.lang)
    listed: list[int] = []
    for _, row in frame.iterrows():
        cell = by_rank[int(str(row.iloc[0]))]
        listed.append(cell)
        exprs = {m: space.cells[(m, cell)] for m in (0, 1) if (m, cell) in space.cells}
        for head, m in cols.items():
            if m in exprs:
                system.show(exprs[m], str(row[head]), name=f"hotspots:{cell}:{m}")
        diff = _signed(str(row[change]), _DIFF) if change in frame.columns else None
        if diff is not None and 0 in exprs and 1 in exprs:
            system.equal(_minus(exprs[0], exprs[1]), diff)
        if 1 in exprs and not any(m == 1 for m in cols.values()):
            system.protect(exprs[1], name=f"hotspots:{cell}:1")
    _rank_order(system, space, listed, k=k, full=len(listed) >= pack.top)


def _rank_order(
    system: LinearSystem, space: _Space, listed: list[int], *, k: int, full: bool
) -> None:
    """Listed cells hold ≥ k, one class by count; unlisted marked cells are bounded."""
    for cell in listed:
        system.fact(space.cells[(0, cell)], low=k)
    for a, b in itertools.pairwise(listed):
        if space.marked[a] == space.marked[b]:
            system.fact(_minus(space.cells[(0, a)], space.cells[(0, b)]), low=0)
    if not space.marked:
        return
    last = listed[-1] if listed else None
    for cell, cls in space.marked.items():
        if cell in listed:
            continue
        expr = space.cells[(0, cell)]
        if not full or last is None or cls > space.marked[last]:
            system.fact(expr, high=k - 1)
        elif cls == space.marked[last]:
            system.fact(_minus(expr, space.cells[(0, last)]), high=0)


def _places(
    system: LinearSystem, pack: Pack, frame: pd.DataFrame, space: _Space, totals: Mapping[int, int]
) -> None:
    """The SVL and hostel table: counts, changes, and rates that would give a count away."""
    lg, pl = pack.lang, pack.places
    kinds = {
        "svl": t("pack.svl", lg),
        "hostel": t("pack.hostel", lg, m=f"{pack.hostel_buffer_m:.0f}"),
    }
    key_of = {
        (str(r.name), kinds.get(str(r.kind), str(r.kind))): j for j, r in enumerate(pl.itertuples())
    }
    cols = _columns(frame, lg)
    heads = {h: t(f"pack.{h}", lg) for h in ("place", "kind", "change", "rate", "ratio")}
    exact: set[tuple[int, int]] = set()
    listed = {
        key_of[(str(r[heads["place"]]), str(r[heads["kind"]]))]
        for _, r in frame.iterrows()
        if (str(r[heads["place"]]), str(r[heads["kind"]])) in key_of
    }
    for _, row in frame.iterrows():
        key = (str(row[heads["place"]]), str(row[heads["kind"]]))
        members = [key_of[key]] if key in key_of else [j for j in range(len(pl)) if j not in listed]
        name = str(key_of.get(key, "pooled"))
        exprs = _place_row_counts(system, row, cols, members, space, name=name, exact=exact)
        _place_row_derived(system, row, frame, heads, exprs, totals)
    for j in range(len(pl)):
        for m in (0, 1):
            if (m, j) in space.places and (j, m) not in exact:
                system.protect(space.places[(m, j)], name=f"places:{j}:{m}")


def _place_row_counts(
    system: LinearSystem,
    row: pd.Series,
    cols: Mapping[str, int],
    members: list[int],
    space: _Space,
    *,
    name: str,
    exact: set[tuple[int, int]],
) -> dict[int, Coeffs]:
    """State one place row's shown counts (per month column); note the exact single places."""
    exprs: dict[int, Coeffs] = {}
    for head, m in cols.items():
        if not all((m, j) in space.places for j in members):
            continue
        exprs[m] = {}
        for j in members:
            for v, c in space.places[(m, j)].items():
                exprs[m][v] = exprs[m].get(v, 0.0) + c
        text = str(row[head])
        system.show(exprs[m], text, name=f"places:{name}:{m}")
        if _exact(text) and len(members) == 1:
            exact.add((members[0], m))
    return exprs


def _place_row_derived(
    system: LinearSystem,
    row: pd.Series,
    frame: pd.DataFrame,
    heads: Mapping[str, str],
    exprs: Mapping[int, Coeffs],
    totals: Mapping[int, int],
) -> None:
    """State what a row's change, rate and ratio give away about its counts."""
    diff = _signed(str(row[heads["change"]]), _DIFF) if heads["change"] in frame.columns else None
    if diff is not None and 0 in exprs and 1 in exprs:
        system.equal(_minus(exprs[0], exprs[1]), diff)
    derived = [str(row[heads[h]]) for h in ("rate", "ratio") if heads[h] in frame.columns]
    if 0 in exprs and any(d != _NO_VALUE for d in derived):
        # the reader measures the place on the map: a rate gives its count, a ratio also
        # the rest of the area's
        system.equal(exprs[0], system.value(exprs[0]))
        system.equal({totals[0]: 1}, system.value({totals[0]: 1}))


# --------------------------------------------------------------------------- narrative


def _changed(system: LinearSystem, pack: Pack) -> None:
    """The "what changed" lines: a category named with counts, or a flag if named without."""
    by_label = {str(r.label): str(r.category) for r in pack.categories.itertuples()}
    heads = {t("pack.rising", pack.lang), t("pack.falling", pack.lang)}
    for heading, items in changed_items(pack):
        if heading not in heads:
            continue
        for item in items:
            m = _CHANGE.match(item)
            code = by_label.get(m.group(1)) if m else None
            if m is None or code is None:
                system.flag(f"changed:{item}")
                continue
            prev, now = m.group(2), m.group(3)
            for text, month in ((now, 0), (prev, 1)):
                var = system.find(f"C:{code}:{month}")
                if var is not None:
                    system.show({var: 1}, text, name=f"changed:{code}:{month}")
            if not (_exact(now) and _exact(prev)):
                system.flag(f"changed:{item}")
