"""Disclosure control of a presenter pack: suppress, pool, audit, coarsen until safe.

:func:`protect` gives a presenter pack its :class:`~apk_geo.reports._view.View` in steps:

1. **Primary suppression and pooling** (:func:`initial_view`): counts in ``1 … k − 1`` are
   shown as ``"<k"``; in the category and outcome tables (complete tables: their rows add up
   to the key figures) every row with such a count is merged into one row "ostatní (malé
   počty)" spanning at least two rows (:func:`apk_geo.privacy.rows_to_pool`). An area with
   ``1 … k − 1`` incidents this month gets the *few* view at once: the key figures only.
2. **The audit** (:func:`audit_pack`): the attacker (:func:`apk_geo.privacy.attack`) solves
   the system of everything the pack shows (:func:`apk_geo.reports._system.pack_system`).
3. **Coarsening**: each table with a finding moves one step down its ladder
   (:data:`LADDERS`: pool one more row — the smallest with incidents in the month where the
   audit found the table narrow — drop the year-before column, drop the previous-month
   column, withhold the table); a finding in the key figures or the narrative moves every
   table; when a table has no step left the pack gets the few view. Steps 2–3 repeat until
   the audit passes (the few view always does: each key figure then stands alone).

The steps taken, the audit's size and its time are recorded in ``pack.params["disclosure"]``.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Hashable, Sequence
from typing import Final

import pandas as pd

from apk_geo.errors import RenderError
from apk_geo.privacy import Audit, Finding, attack, rows_to_pool
from apk_geo.reports._system import pack_system
from apk_geo.reports._view import ALL_COLUMNS, SHOW_ALL, View
from apk_geo.reports.data import Pack

__all__ = ["LADDERS", "MAX_ROUNDS", "audit_pack", "initial_view", "protect"]

logger = logging.getLogger(__name__)

#: Coarsening steps per table, mildest first: ``("pool", "")`` merges one more row into the
#: pooled row, ``("drop", column)`` withholds a count column (``"*"``: the table).
LADDERS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "categories": (
        ("pool", ""),
        ("pool", ""),
        ("drop", "n_year_before"),
        ("drop", "n_previous"),
        ("drop", ALL_COLUMNS),
    ),
    "outcomes": (("pool", ""), ("pool", ""), ("drop", ALL_COLUMNS)),
    "places": (("pool", ""), ("pool", ""), ("drop", "n_previous"), ("drop", ALL_COLUMNS)),
    "hotspots": (("drop", "n_previous"), ("drop", ALL_COLUMNS)),
}
#: Audit rounds before the pack falls back to the few view.
MAX_ROUNDS: Final = 16
#: Count columns of the pooled tables.
_COUNTS: Final[dict[str, tuple[str, ...]]] = {
    "categories": ("n", "n_previous", "n_year_before"),
    "outcomes": ("n",),
    "places": ("n", "n_previous"),
}


def initial_view(pack: Pack) -> View:
    """Return the presenter view before the audit: primary suppression and pooling.

    Examples
    --------
    A pack whose area had 1 or 2 incidents this month gets the few view (key figures only).
    """
    k = pack.min_count
    if 0 < pack.figures.n < k:
        return View(few=True, steps=("few",))
    pooled = {
        name: tuple(rows_to_pool(getattr(pack, name), _COUNTS[name], min_count=k))
        for name in ("categories", "outcomes")
    }
    return View(pooled={n: r for n, r in pooled.items() if r})


def audit_pack(pack: Pack) -> Audit:
    """Return the attacker's findings on everything ``pack`` shows (empty: safe)."""
    return attack(pack_system(pack))


def protect(pack: Pack) -> Pack:
    """Return the pack with the coarsest-needed presenter view that passes the audit.

    The internal tier is returned with the view that shows everything. The view's steps, the
    number of audit rounds, targets and solves and the seconds spent are recorded in
    ``params["disclosure"]``.

    Raises
    ------
    RenderError
        If even the few view (the key figures alone) fails the audit; that is a bug, and the
        pack is not made rather than made unsafe.
    """
    if pack.tier == "internal":
        return dataclasses.replace(pack, view=SHOW_ALL)
    started = time.perf_counter()
    view = initial_view(pack)
    rounds, targets, solves = 0, 0, 0
    while True:
        candidate = _apply(pack, view)
        audit = audit_pack(candidate)
        rounds, targets, solves = rounds + 1, targets + audit.targets, solves + audit.solves
        if audit.safe:
            break
        if view.few:
            # each key figure of the few view stands alone: a finding here is a bug, and no
            # presenter pack is better than one that gives a count away
            raise RenderError(
                f"the presenter pack of {pack.area} {pack.month} fails its audit even with "
                f"the key figures only: {[f.name for f in audit.findings]}; use --tier internal "
                "for the team or report this"
            )
        # names only: a finding's range (and its true value) is the count it would give away
        names = [f.name for f in audit.findings]
        logger.debug("disclosure: %s %s round %d: %s", pack.area, pack.month, rounds, names)
        view = _escalate(candidate, view, audit.findings, rounds=rounds)
    view = dataclasses.replace(view, audited=True)
    params = dict(pack.params)
    params["disclosure"] = {
        "min_count": pack.min_count,
        "few": view.few,
        "steps": list(view.steps),
        "rounds": rounds,
        "targets": targets,
        "solves": solves,
        "seconds": round(time.perf_counter() - started, 3),
    }
    return dataclasses.replace(_apply(pack, view), params=params)


def _apply(pack: Pack, view: View) -> Pack:
    """Return the pack as the view shows it: withheld hot cells and markers, few-view map."""
    out = dataclasses.replace(pack, view=view)
    if view.few or not view.shows("hotspots"):
        out = dataclasses.replace(out, hotspots=pack.hotspots.iloc[:0])
    if view.few:
        cells = pack.cells.copy()
        cells["hotspot_class"] = 0
        cells["emerging_class"] = pd.array([pd.NA] * len(cells), dtype="string")
        out = dataclasses.replace(out, cells=cells, new_hotspots=(), intensifying_hotspots=())
    return out


def _escalate(pack: Pack, view: View, findings: Sequence[Finding], *, rounds: int) -> View:
    """Move every table with a finding one step down its ladder (all tables for the rest)."""
    if view.few or rounds >= MAX_ROUNDS:
        return View(few=True, steps=(*view.steps, "few"))
    tables = [f.table for f in findings]
    named = {t for t in tables if t in LADDERS}
    if any(t not in LADDERS for t in tables):
        named |= {t for t in LADDERS if view.shows(t)}
    for table in sorted(named):
        months = [_month(f.name) for f in findings if f.table == table]
        stepped = _step(pack, view, table, months=[m for m in months if m is not None])
        if stepped is None:
            return View(few=True, steps=(*view.steps, "few"))
        view = stepped
    return view


def _month(name: str) -> int | None:
    """The month offset a target's name ends with (``"categories:pooled:0"`` → 0)."""
    last = name.rsplit(":", 1)[-1]
    return int(last) if last.isdigit() else None


def _step(pack: Pack, view: View, table: str, *, months: Sequence[int] = ()) -> View | None:
    """Return the view one step further down ``table``'s ladder, ``None`` past its end.

    A pooling step adds the row that lifts the pool where the audit found it narrow: the
    smallest row with incidents in the month of the first finding (``months``).
    """
    done = sum(1 for s in view.steps if s.startswith(f"{table}:"))
    for action, column in LADDERS[table][done:]:
        done += 1
        label = f"{table}:{action}{':' + column if column else ''}"
        if action == "drop":
            if not view.shows(table):
                return view  # already withheld: nothing left to show of it
            return view.drop(table, column, step=label)
        counts = _COUNTS[table]
        focus = counts[months[0]] if months and months[0] < len(counts) else None
        rows = _pool_more(getattr(pack, table), view.pooled_rows(table), counts, focus=focus)
        if rows is not None:
            return view.pool(table, rows, step=label)
        view = dataclasses.replace(view, steps=(*view.steps, f"{label}:skipped"))
    return None


def _pool_more(
    table: pd.DataFrame,
    pooled: Sequence[Hashable],
    columns: Sequence[str],
    *,
    focus: str | None = None,
) -> tuple[Hashable, ...] | None:
    """Return ``pooled`` with the next smallest row (or two), ``None`` if no row is left.

    Rows with counts come before empty rows (an empty row does not make the pool any less
    certain, and "0" can stay on show); among them the smallest by the sum of its counts —
    or, with ``focus``, by its count in that column — the later row on a tie.
    """
    rest = table.drop(index=list(pooled))
    if len(rest) < (1 if pooled else 2):
        return None
    cols = [focus] if focus is not None else list(columns)
    sizes = rest[cols].astype("Float64").fillna(0).sum(axis=1).to_numpy(dtype=float)
    order = sorted(range(len(rest)), key=lambda i: (sizes[i] == 0, sizes[i], -i))
    add = [rest.index[i] for i in order[: 1 if pooled else 2]]
    keep = set(pooled) | set(add)
    return tuple(label for label in table.index if label in keep)
