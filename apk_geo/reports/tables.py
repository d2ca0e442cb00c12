"""A pack's tables as display text, in its language and tier.

:func:`tables` dispatches to one function per table (key figures, categories, outcomes, top
hot spots, SVL and hostels); :func:`changed_items` lists what changed and :func:`notes` the
data notes. What each tier may show is decided before: the pack's view
(:class:`apk_geo.reports._view.View`, audited by :mod:`apk_geo.reports.disclosure`) says which
rows are merged into the pooled row "ostatní (malé počty)", which columns and tables are
withheld and whether the area has too few incidents for details;
:meth:`Pack.count <apk_geo.reports.Pack.count>` formats a count (``"<3"``) and
:meth:`Pack.shown <apk_geo.reports.Pack.shown>` says whether a change, share or rate may be
shown. This module only formats what they decide.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import pandas as pd

from apk_geo import fmt
from apk_geo.emerging import CATEGORIES as EMERGING_CATEGORIES
from apk_geo.i18n import t
from apk_geo.privacy import is_suppressed, pool_rows
from apk_geo.reports._strings import text_of
from apk_geo.reports._view import SHOW_ALL, View
from apk_geo.reports.data import EMERGING_MONTHS, NOTABLE_ALPHA, Pack

__all__ = ["TABLES", "changed_items", "notes", "tables", "text"]

#: Count columns of the tables that are pooled (see :mod:`apk_geo.privacy`).
_CATEGORY_COUNTS: Final = ("n", "n_previous", "n_year_before")
_OUTCOME_COUNTS: Final = ("n",)
_PLACE_COUNTS: Final = ("n", "n_previous")
_EMERGING_LABELS: Final = {c.code: c for c in EMERGING_CATEGORIES}
_NO_VALUE: Final = "–"


def text(key: str, lang: str = "cs", **fields: object) -> str:
    """Return the pack string ``key`` in ``lang``: :func:`apk_geo.i18n.t` of ``"pack." + key``.

    The packs' strings live in the one catalogue of :mod:`apk_geo.i18n` under ``pack.``; this
    keeps the short keys of the presenter page (``text("ui.prev")``) working.

    Raises
    ------
    KeyError
        If ``pack.<key>`` is not a UI string.

    Examples
    --------
    >>> text("key", "en")
    'Key figures'
    """
    return t(f"pack.{key}", lang, **fields)


def tables(pack: Pack) -> dict[str, pd.DataFrame]:
    """Return the pack's tables as display text in its language and tier (small counts hidden).

    Returns
    -------
    dict
        ``figures``, ``categories``, ``outcomes``, ``hotspots``, ``places`` (the keys of
        :data:`TABLES`): DataFrames of strings with localised headers; what the HTML, the PDF
        and the presenter page show.
    """
    return {name: build(pack) for name, build in TABLES.items()}


# ------------------------------------------------------------------------------ formatting


def _signed(value: float, *, lang: str, pct: bool = False) -> str:
    # The disclosure audit (reports/_system.py: _PCT, _DIFF) reads these texts back as
    # r"^([+−±])(\d+) ?%$" and r"^([+−±])(\d+)$": whole numbers, no thousands separator, and
    # the percent sign as the language writes it (Czech "−31 %", English "−31%"). Change both
    # together.
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    body = f"{abs(value):.0f}"
    return _percent(f"{sign}{body}", lang) if pct else f"{sign}{body}"


def _percent(number: str, lang: str) -> str:
    """Return ``number`` with the percent sign as ``lang`` writes it (``12 %``, ``12%``)."""
    return f"{number}%" if lang == "en" else f"{number} %"


def _change(pack: Pack, n: int | None, base: int | None, *, pct: bool) -> str:
    """Return the change from ``base`` to ``n`` (``"–"`` when it would give a count away)."""
    if n is None or base is None or not pack.shown(n, base):
        return _NO_VALUE
    if pct:
        if base == 0:
            return _NO_VALUE
        return _signed(100.0 * (n - base) / base, lang=pack.lang, pct=True)
    return _signed(n - base, lang=pack.lang)


def _ratio_text(pack: Pack, n: int, value: float) -> str:
    """Return a rate or ratio derived from the count ``n`` (``"–"`` when not shown)."""
    shown = pack.shown(n) and math.isfinite(value)
    return fmt.number(value, pack.lang, digits=2) if shown else _NO_VALUE


def _opt(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


def _int(value: Any) -> int:
    return int(value)


def _float(value: Any) -> float:
    return math.nan if value is None or pd.isna(value) else float(value)


def _emerging_label(code: object, lang: str) -> str:
    if code is None or pd.isna(code):  # type: ignore[call-overload]
        return _NO_VALUE
    c = _EMERGING_LABELS.get(str(code))
    return c.label(lang) if c else str(code)


def _view(pack: Pack) -> View:
    """What the pack's tier shows: its view, or (a presenter pack built by hand) the audited one."""
    if pack.view is not None:
        return pack.view
    if pack.tier == "internal":
        return SHOW_ALL
    from apk_geo.reports.disclosure import protect

    view = protect(pack).view
    return view if view is not None else SHOW_ALL


def _split(
    view: View, name: str, table: pd.DataFrame, columns: Sequence[str]
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int | None]]:
    """Return the rows shown as they are, the pooled rows and the pooled row's sums."""
    rows = [r for r in view.pooled_rows(name) if r in table.index]
    if not rows:
        return table, table.iloc[:0], {}
    return table.drop(index=rows), table.loc[rows], pool_rows(table, rows, columns)


def _frame(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> pd.DataFrame:
    """Return a table of display strings with these headers (no rows: headers only)."""
    cols = list(columns)
    return pd.DataFrame({c: [r[i] for r in rows] for i, c in enumerate(cols)}, columns=cols)


def _pick(row: Sequence[str], keep: Sequence[bool]) -> list[str]:
    return [v for v, k in zip(row, keep, strict=True) if k]


# ---------------------------------------------------------------------------- the tables


def _figures(pack: Pack) -> pd.DataFrame:
    lg, f = pack.lang, pack.figures
    return pd.DataFrame(
        {
            "": [t("pack.this_month", lg), t("pack.prev_month", lg), t("pack.year_before", lg)],
            t("field.count", lg): [
                pack.count(f.n),
                pack.count(f.n_previous),
                pack.count(f.n_year_before),
            ],
            t("pack.vs", lg): [
                "",
                _change(pack, f.n, f.n_previous, pct=True),
                _change(pack, f.n, f.n_year_before, pct=True),
            ],
        }
    )


def _count_texts(pack: Pack, n: int, base: int | None) -> tuple[str, str, str]:
    """A row's count this month, the month before and the change between them, as shown."""
    return pack.count(n), pack.count(base), _change(pack, n, base, pct=False)


def _categories(pack: Pack) -> pd.DataFrame:
    lg, view = pack.lang, _view(pack)
    prev, year = view.shows("categories", "n_previous"), view.shows("categories", "n_year_before")
    keep = (True, True, prev, year, prev)
    heads = _pick(
        [t(f"pack.{h}", lg) for h in ("categories", "this_month", "prev_month", "year_before")]
        + [t("pack.change", lg)],
        keep,
    )
    if not view.shows("categories"):
        return _frame(heads, [])
    kept, _pooled, sums = _split(view, "categories", pack.categories, _CATEGORY_COUNTS)
    rows = [
        (str(r.label), _int(r.n), _opt(r.n_previous), _opt(r.n_year_before))
        for r in kept.itertuples()
    ]
    if sums:
        rows.append(
            (t("pack.pooled", lg), int(sums["n"] or 0), sums["n_previous"], sums["n_year_before"])
        )
    texts = []
    for label, n, n_prev, n_year in rows:
        now, before, change = _count_texts(pack, n, n_prev)
        texts.append(_pick([label, now, before, pack.count(n_year), change], keep))
    return _frame(heads, texts)


def _outcomes(pack: Pack) -> pd.DataFrame:
    lg, out, view = pack.lang, pack.outcomes, _view(pack)
    heads = [t("pack.outcomes", lg), t("field.count", lg), t("pack.share", lg)]
    if not view.shows("outcomes"):
        return _frame(heads, [])
    kept, pooled, sums = _split(view, "outcomes", out, _OUTCOME_COUNTS)
    rows = [(str(r.label), _int(r.n), _float(r.share)) for r in kept.itertuples()]
    if sums:
        rows.append((t("pack.pooled", lg), int(sums["n"] or 0), _float(pooled["share"].sum())))
    return _frame(
        heads, [(label, pack.count(n), _share_text(pack, n, share)) for label, n, share in rows]
    )


def _share_text(pack: Pack, n: int, share: float) -> str:
    # read back by the disclosure audit as r"^(\d+) ?%$" (reports/_system.py): see _signed
    shown = pack.shown(n) and math.isfinite(share)
    return _percent(f"{100 * share:.0f}", pack.lang) if shown else _NO_VALUE


def _hotspots(pack: Pack) -> pd.DataFrame:
    lg, hs, view = pack.lang, pack.hotspots, _view(pack)
    prev = view.shows("hotspots", "n_previous")
    keep = (True, True, True, prev, prev, True, True)
    heads = ["#", *(t(f"pack.{h}", lg) for h in ("place", "this_month", "prev_month", "change"))]
    heads += [t("pack.class", lg), t("pack.emerging", lg, n=EMERGING_MONTHS)]
    if not view.shows("hotspots"):
        return _frame(_pick(heads, keep), [])
    rows = [
        _pick(
            [
                str(r.rank),
                str(r.label),
                *_count_texts(pack, _int(r.n), _int(r.n_previous)),
                t(f"gistar.class_{_int(r.hotspot_class)}", lg),
                _emerging_label(r.emerging_class, lg),
            ],
            keep,
        )
        for r in hs.itertuples()
    ]
    return _frame(_pick(heads, keep), rows)


def _places(pack: Pack) -> pd.DataFrame:
    lg, pl, view = pack.lang, pack.places, _view(pack)
    prev = view.shows("places", "n_previous")
    keep = (True, True, True, prev, prev, True, True)
    heads = ("place", "kind", "this_month", "prev_month", "change", "rate", "ratio")
    head_texts = _pick([t(f"pack.{h}", lg) for h in heads], keep)
    if not view.shows("places"):
        return _frame(head_texts, [])
    kept, _pooled, sums = _split(view, "places", pl, _PLACE_COUNTS)
    kind = {
        "svl": t("pack.svl", lg),
        "hostel": t("pack.hostel", lg, m=f"{pack.hostel_buffer_m:.0f}"),
    }
    rows: list[tuple[str, str, int, int | None, float, float]] = [
        (
            str(r.name),
            kind.get(str(r.kind), str(r.kind)),
            _int(r.n),
            _opt(r.n_previous),
            _float(r.per_10ha_month),
            _float(r.rate_ratio),
        )
        for r in kept.itertuples()
    ]
    if sums:
        # a pool has no single area: its rate and ratio are not shown
        n = int(sums["n"] or 0)
        rows.append((t("pack.pooled", lg), _NO_VALUE, n, sums["n_previous"], math.nan, math.nan))
    texts = []
    for name, kind_text, n, n_prev, rate, ratio in rows:
        derived = (_ratio_text(pack, n, rate), _ratio_text(pack, n, ratio))
        texts.append(_pick([name, kind_text, *_count_texts(pack, n, n_prev), *derived], keep))
    return _frame(head_texts, texts)


#: The pack's tables, by name, in the order shown.
TABLES: Final[Mapping[str, Callable[[Pack], pd.DataFrame]]] = {
    "figures": _figures,
    "categories": _categories,
    "outcomes": _outcomes,
    "hotspots": _hotspots,
    "places": _places,
}


# ------------------------------------------------------------------ what changed, notes


def changed_items(pack: Pack) -> list[tuple[str, list[str]]]:
    """Return the "what changed" headings with their items (display text in the pack's tier).

    A category is named only where its own row shows both months' counts exactly (a pooled,
    small or withheld category is left out: naming it would say more than the table does).
    """
    lg, view, cat = pack.lang, _view(pack), pack.categories
    pooled = set(view.pooled_rows("categories"))
    listed = view.shows("categories") and view.shows("categories", "n_previous")

    def exact(n: int | None) -> bool:
        return n is not None and (
            pack.tier == "internal" or not is_suppressed(n, min_count=pack.min_count)
        )

    def cats(direction: str) -> list[str]:
        rows = cat.loc[cat["direction"] == direction]
        return [
            f"{label}: {pack.count(_opt(prev))} → {pack.count(int(n))}"
            for idx, label, prev, n in zip(
                rows.index, rows["label"], rows["n_previous"], rows["n"], strict=True
            )
            if listed and idx not in pooled and exact(int(n)) and exact(_opt(prev))
        ]

    return [
        (t("pack.new_hot", lg), list(pack.new_hotspots)),
        (t("pack.intensifying_hot", lg), list(pack.intensifying_hotspots)),
        (t("pack.rising", lg), cats("up")),
        (t("pack.falling", lg), cats("down")),
    ]


def notes(pack: Pack) -> list[tuple[str, str]]:
    """Return the data notes as (heading, text) pairs in the pack's language and tier."""
    lg, nt = pack.lang, pack.notes
    rows = [
        (t("pack.period", lg), f"{fmt.date(nt.month_start, lg)} – {fmt.date(nt.month_end, lg)}"),
        (t("pack.span", lg), _span(pack)),
        (t("pack.geocoding", lg), _geocoding_text(pack)),
        (t("pack.quarantine", lg), t("pack.quarantine_text", lg, n=nt.quarantined)),
    ]
    if pack.tier == "presenter":
        k = pack.min_count
        rules = text_of("pack.privacy_rules", lg, k=k, k1=k - 1, pooled=t("pack.pooled", lg))
        rows.append((t("pack.privacy", lg), rules))
        if _view(pack).few:
            rows.append((text_of("pack.few_heading", lg), text_of("pack.few", lg, k=k)))
    cell = round(float(pack.params["cell_size_m"]))
    methods = t("pack.methods_text", lg, cell=cell, n=EMERGING_MONTHS, alpha=NOTABLE_ALPHA)
    rows.append((t("pack.methods", lg), methods))
    if nt.emerging_note:
        # the analysis's own reason may quote a count of the area ("none of the 2 points …"):
        # presenters get a reason without numbers
        skipped = (
            text_of("pack.emerging_skipped_presenter", lg, n=EMERGING_MONTHS)
            if pack.tier == "presenter"
            else t("pack.emerging_skipped", lg, reason=nt.emerging_note)
        )
        rows.append((t("pack.emerging", lg, n=EMERGING_MONTHS), skipped))
    if nt.synthetic:
        rows.append(("", t("pack.synthetic", lg)))
    return rows


def _span(pack: Pack) -> str:
    nt = pack.notes
    if nt.data_from is None or nt.data_to is None:
        return _NO_VALUE
    return f"{fmt.date(nt.data_from, pack.lang)} – {fmt.date(nt.data_to, pack.lang)}"


def _geocoding_text(pack: Pack) -> str:
    """The month's geocoding coverage: exact counts internally, a whole percentage otherwise.

    The presenter tier gives no city-wide count: the seven MDT areas (and the 23 districts)
    split the city's located records, so that count next to the other areas' packs would give
    a small area's count away.
    """
    nt = pack.notes
    share = nt.month_geocoded_city / nt.month_records_city if nt.month_records_city else math.nan
    if pack.tier == "presenter":
        pct = fmt.percent(share, pack.lang)  # "–" when the month has no records
        return text_of("pack.geocoding_share", pack.lang, pct=pct)
    pct = fmt.percent(share, pack.lang, digits=1)
    return t(
        "pack.geocoding_text",
        pack.lang,
        ok=nt.month_geocoded_city,
        n=nt.month_records_city,
        pct=pct,
    )
