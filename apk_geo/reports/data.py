"""The data of an MDT meeting pack: what is read from a store and what :func:`build_pack` makes.

:class:`ReportData` is read once per store and shared by every area; :func:`build_pack` turns
it into a :class:`Pack`, the data of one meeting (one area, one month, one tier), in steps:
check the options, select the area's incidents by month, count them (:class:`KeyFigures`,
categories, outcomes), run the hotspot analysis on a grid over the area, rank and name the hot
cells, cut the context layers (SVL, hostels) to the area and gather the :class:`DataNotes`.
Nothing here formats text for display (:mod:`apk_geo.reports.tables` does); the pack's
counts are exact in both tiers, and :meth:`Pack.count` / :meth:`Pack.shown` apply the tier's
rules (:mod:`apk_geo.privacy`).

The notable rise or fall of a category is the exact conditional test of two Poisson counts
(:func:`apk_geo.change.poisson_rate_test`, Przyborowski & Wilenski 1940), two-sided,
``p <`` :data:`NOTABLE_ALPHA`, periods weighted by their days; the hot cells are Getis-Ord Gi*
classes (Getis & Ord 1992) with the emerging hot-spot class over :data:`EMERGING_MONTHS`
months.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from apk_geo.config import Config
from apk_geo.coords import located_mask
from apk_geo.errors import ParameterError, SchemaError
from apk_geo.i18n import Lang, normalize_lang, t
from apk_geo.messages import Message
from apk_geo.privacy import TIERS, Tier, format_count, may_show
from apk_geo.reports._atoms import atom_counts, place_shapes
from apk_geo.reports._counts import (
    NOTABLE_ALPHA,
    category_table,
    in_area,
    outcome_table,
    places_table,
)
from apk_geo.reports._hotspots import (
    EMERGING_MONTHS,
    INTENSIFYING_CLASSES,
    NEW_CLASSES,
    STOP_LABEL_RADIUS_M,
    Hotspots,
)
from apk_geo.reports._hotspots import analyse as analyse_hotspots
from apk_geo.reports._names import AreaKind, AreaRef, month_label, parse_month, resolve_areas
from apk_geo.reports._view import SHOW_ALL, View
from apk_geo.schema import CRS_METRIC, fold
from apk_geo.times import local_naive

__all__ = [
    "DEFAULT_CELL_SIZE_M",
    "EMERGING_MONTHS",
    "INTENSIFYING_CLASSES",
    "NEW_CLASSES",
    "NOTABLE_ALPHA",
    "PACK_COLUMNS",
    "STOP_LABEL_RADIUS_M",
    "AreaKind",
    "AreaRef",
    "DataNotes",
    "KeyFigures",
    "Pack",
    "ReportData",
    "build_pack",
    "month_label",
    "pack_filename",
    "parse_month",
    "resolve_areas",
]

logger = logging.getLogger(__name__)


#: The only incident columns a pack reads (no note, assistant, address, id or coordinates).
PACK_COLUMNS: Final = ("reported_at", "category", "outcome", "district_name", "mdt_area", "match")
#: Default grid cell of the hotspot map, in metres.
DEFAULT_CELL_SIZE_M: Final = 250.0
#: Context layers a pack reads from a store.
_LAYERS: Final = ("districts", "city", "mdt_areas", "svl", "hostels", "stops")
#: Incident columns of the internal tier's points.
_POINT_COLUMNS: Final = ("reported_at", "category", "outcome", "match")


# ----------------------------------------------------------------------------- the data


@dataclass(frozen=True)
class ReportData:
    """Everything a pack is built from, read once per store (shared by all areas).

    Attributes
    ----------
    incidents
        The store's incidents, reduced to :data:`PACK_COLUMNS` and geometry (EPSG:5514).
    layers
        Context layers present in the store (``districts``, ``city``, ``mdt_areas``, ``svl``,
        ``hostels``, ``stops``), EPSG:5514.
    quarantined
        Number of quarantined records in the store.
    metadata
        The store's metadata (``synthetic`` is ``"true"`` for demo data).
    config
        The configuration (MDT areas, ``min_public_count``, ``hostel_buffer_m``).
    """

    incidents: gpd.GeoDataFrame
    layers: Mapping[str, gpd.GeoDataFrame]
    quarantined: int
    metadata: Mapping[str, str]
    config: Config = field(default_factory=Config)

    def __post_init__(self) -> None:
        missing = [c for c in PACK_COLUMNS if c not in self.incidents.columns]
        if missing:
            raise SchemaError(
                f"incidents lack column(s) {missing}; pass the store's incidents layer "
                "(ReportData.from_store builds it)"
            )
        if not isinstance(self.incidents["reported_at"].dtype, pd.DatetimeTZDtype):
            raise SchemaError(
                f"incidents.reported_at must be tz-aware; got {self.incidents['reported_at'].dtype}"
            )
        if "districts" not in self.layers:
            raise SchemaError(
                f"the context layers lack 'districts'; got {sorted(self.layers)}; build the "
                "store with `apk-geo demo` or write the layers with store.write_layers()"
            )

    @classmethod
    def from_frames(
        cls,
        incidents: gpd.GeoDataFrame,
        layers: Mapping[str, gpd.GeoDataFrame],
        *,
        quarantined: int = 0,
        metadata: Mapping[str, str] | None = None,
        config: Config | None = None,
    ) -> ReportData:
        """Build from frames already loaded (the dashboard's cached ones); input not changed."""
        cols = [*PACK_COLUMNS, incidents.geometry.name]
        inc = gpd.GeoDataFrame(incidents[cols], geometry=incidents.geometry.name, crs=incidents.crs)
        if inc.crs is not None and not inc.crs.equals(CRS_METRIC):
            inc = inc.to_crs(CRS_METRIC)
        return cls(
            inc,
            {k: v.to_crs(CRS_METRIC) for k, v in layers.items()},
            int(quarantined),
            dict(metadata or {}),
            config or Config(),
        )

    @classmethod
    def from_store(cls, store: Any, *, config: Config | None = None) -> ReportData:
        """Read the incidents, context layers, quarantine count and metadata of ``store``.

        Parameters
        ----------
        store
            An :class:`apk_geo.store.IncidentStore`.
        config
            Configuration (defaults when ``None``).
        """
        names = set(store.layer_names())
        layers = {n: store.layer(n) for n in _LAYERS if n in names}
        return cls.from_frames(
            store.incidents(),
            layers,
            quarantined=len(store.quarantine()),
            metadata=store.metadata(),
            config=config,
        )

    @property
    def synthetic(self) -> bool:
        """Whether the store holds synthetic demo data."""
        return str(self.metadata.get("synthetic", "")).lower() == "true"

    def months(self) -> list[pd.Period]:
        """Return the complete calendar months with data, newest first."""
        local = local_naive(self.incidents["reported_at"])
        if local.empty:
            return []
        first, last = local.min(), local.max()
        lo = first.to_period("M") + (0 if first.day == 1 else 1)
        hi = last.to_period("M") - (0 if last.day == last.days_in_month else 1)
        return list(pd.period_range(lo, hi, freq="M"))[::-1] if hi >= lo else []


@dataclass(frozen=True)
class KeyFigures:
    """Incidents of the month against the previous month and the same month a year earlier.

    ``n_previous``/``n_year_before`` are ``None`` when the store holds no data for that whole
    month (unknown, not zero); the changes are percentages, ``None`` when not computable.
    """

    n: int
    n_previous: int | None
    n_year_before: int | None
    change_previous_pct: float | None
    change_year_pct: float | None


@dataclass(frozen=True)
class DataNotes:
    """Facts about the data behind a pack."""

    month_start: pd.Timestamp
    month_end: pd.Timestamp
    data_from: pd.Timestamp | None
    data_to: pd.Timestamp | None
    month_records_city: int
    month_geocoded_city: int
    quarantined: int
    synthetic: bool
    emerging_note: str | None


@dataclass(frozen=True)
class Pack:
    """The data of one MDT meeting pack (see :mod:`apk_geo.reports`); render it with render_*.

    Attributes
    ----------
    area, area_kind, month, lang, tier, min_count
        What the pack is for and how it is shown.
    figures
        :class:`KeyFigures`.
    categories
        ``category, label, n, n_previous, n_year_before, diff, p_value, direction``
        (``"up"``, ``"down"`` or ``"none"``), sorted by ``n`` descending.
    outcomes
        ``outcome, label, n, share`` for every outcome code.
    cells
        The area's grid (EPSG:5514): ``cell_id, n, n_previous, diff, gi_z, hotspot_class,
        emerging_class``.
    hotspots
        The top hot cells with incidents this month (by class, then count): ``rank, cell_id,
        label, n, n_previous, diff, hotspot_class, emerging_class`` and geometry.
    places
        ``kind`` (``svl``/``hostel``), ``name, n, n_previous, diff, per_10ha_month,
        rate_ratio`` for the SVLs and hostel buffers in the area.
    new_hotspots, intensifying_hotspots
        Distinct labels of the cells whose emerging class is in :data:`NEW_CLASSES` /
        :data:`INTENSIFYING_CLASSES`.
    area_shape, districts, svl, hostels
        Map layers (EPSG:5514).
    points
        Incident points of the month for the internal tier; always ``None`` in the presenter
        tier.
    notes
        :class:`DataNotes`.
    params
        Parameters used (JSON-serialisable), including automatically chosen ones.
    view
        What the tier shows (:class:`apk_geo.reports._view.View`): set by
        :func:`build_pack` (the presenter tier's view is audited by
        :func:`apk_geo.reports.disclosure.protect`); ``None`` on a pack built by hand, whose
        presenter tables are then protected when they are formatted.
    atoms
        Presenter tier: this month's and the previous month's incidents per grid cell and set
        of places (:data:`apk_geo.reports._atoms.ATOM_COLUMNS`), the true values the audit
        checks its facts against; never shown. ``None`` in the internal tier.
    top
        The most hot cells the hotspot table lists.

    In the presenter tier the hotspot table lists only hot cells with at least ``min_count``
    incidents this month, and ``cells`` carries no Gi* or emerging class where the month's
    incidents in the cell's neighbourhood number ``1 … min_count − 1``.
    """

    area: str
    area_kind: AreaKind
    month: pd.Period
    lang: Lang
    tier: Tier
    min_count: int
    figures: KeyFigures
    categories: pd.DataFrame
    outcomes: pd.DataFrame
    cells: gpd.GeoDataFrame
    hotspots: gpd.GeoDataFrame
    places: pd.DataFrame
    new_hotspots: tuple[str, ...]
    intensifying_hotspots: tuple[str, ...]
    area_shape: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    svl: gpd.GeoDataFrame
    hostels: gpd.GeoDataFrame
    points: gpd.GeoDataFrame | None
    notes: DataNotes
    params: dict[str, Any]
    synthetic: bool = False
    hostel_buffer_m: float = 250.0
    view: View | None = None
    atoms: pd.DataFrame | None = None
    top: int = 10

    def count(self, n: float | int | None) -> str:
        """Return a count as shown in this pack's tier (``"<3"`` for small presenter counts)."""
        if n is None:
            return t("pack.no_data", self.lang)
        return format_count(n, min_count=self.min_count, tier=self.tier)

    def shown(self, *counts: float | int | None) -> bool:
        """Whether a value derived from ``counts`` may be shown (see :func:`privacy.may_show`)."""
        return may_show(*counts, min_count=self.min_count, tier=self.tier)


def pack_filename(pack: Pack, fmt: str) -> str:
    """Return ``<area-slug>_<YYYY-MM>[_internal][_en].<fmt>``.

    Examples
    --------
    >>> re.sub(r"[^a-z0-9]+", "-", fold("Moravská Ostrava a Přívoz"))
    'moravska-ostrava-a-privoz'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", fold(pack.area)).strip("-") or "area"
    tier = "_internal" if pack.tier == "internal" else ""
    lang = "_en" if pack.lang == "en" else ""
    return f"{slug}_{pack.month}{tier}{lang}.{fmt}"


# ----------------------------------------------------------------------------- build_pack


def build_pack(
    data: ReportData | Any,
    *,
    area: str | AreaRef,
    month: str | pd.Period,
    lang: str = "cs",
    tier: Tier = "presenter",
    cell_size_m: float = DEFAULT_CELL_SIZE_M,
    top: int = 10,
    config: Config | None = None,
) -> Pack:
    """Build the meeting pack of one area and one month.

    Parameters
    ----------
    data
        A :class:`ReportData`, or an :class:`apk_geo.store.IncidentStore` (read once here; for
        several areas build a :class:`ReportData` once and pass it).
    area
        An MDT-area name, a district name (see :func:`resolve_areas`) or an :class:`AreaRef`.
    month
        ``"YYYY-MM"`` or a monthly :class:`pandas.Period`.
    lang
        ``"cs"`` (default) or ``"en"``.
    tier
        ``"presenter"`` (default; aggregates only) or ``"internal"``.
    cell_size_m
        Side of the hotspot grid's squares, in metres.
    top
        Number of hot cells in the hotspot table.
    config
        Used only when ``data`` is a store.

    Returns
    -------
    Pack
        Its tables have the schemas documented on :class:`Pack`; ``params`` records the grid,
        Gi* and emerging parameters.

    Raises
    ------
    ParameterError
        If the area, month, tier or ``top`` is invalid.
    SchemaError
        If the data lack a needed column or layer.
    """
    if not isinstance(data, ReportData):
        data = ReportData.from_store(data, config=config)
    req = _request(
        data, area=area, month=month, lang=lang, tier=tier, cell_size_m=cell_size_m, top=top
    )
    shape = _area_shape(data, req.ref)
    params = _base_params(req)
    sel = _select_incidents(data, req.ref, req.month)
    counts = _count_tables(sel, lang=req.lang, config=data.config)
    hot = _hotspots(shape, sel, data, req=req, params=params)
    layers = _area_layers(data, shape, sel)
    notes = _data_notes(data, sel, emerging_note=hot.emerging_note)
    pack = _assemble(
        data, req, shape, counts=counts, hot=hot, layers=layers, notes=notes, sel=sel, params=params
    )
    if pack.tier == "internal":
        pack = dataclasses.replace(pack, view=SHOW_ALL)
    else:
        from apk_geo.reports.disclosure import protect

        pack = protect(pack)
    _log_pack(pack, n_hot=len(pack.hotspots))
    return pack


# ---------------------------------------------------------------- build_pack: the steps


@dataclass(frozen=True)
class _Request:
    """What a pack is asked for, checked."""

    ref: AreaRef
    month: pd.Period
    tier: Tier
    lang: Lang
    cell_size_m: float
    top: int


def _request(
    data: ReportData,
    *,
    area: str | AreaRef,
    month: str | pd.Period,
    lang: str,
    tier: Tier,
    cell_size_m: float,
    top: int,
) -> _Request:
    """Check the options and resolve the area and the month."""
    if tier not in TIERS:
        raise ParameterError(f"tier must be one of {TIERS}; got {tier!r}")
    if top < 1:
        raise ParameterError(f"top must be >= 1; got {top}")
    if not (cell_size_m > 0 and math.isfinite(cell_size_m)):
        raise ParameterError(f"cell_size_m must be a finite number > 0; got {cell_size_m!r}")
    lg, mon = normalize_lang(lang), parse_month(month)
    return _Request(_area_ref(data, area), mon, tier, lg, cell_size_m, top)


def _area_ref(data: ReportData, area: str | AreaRef) -> AreaRef:
    """Return the one area named by ``area``."""
    if isinstance(area, AreaRef):
        return area
    refs = resolve_areas(area, config=data.config, districts=data.layers["districts"]["NAZEV"])
    if len(refs) != 1:
        raise ParameterError("build_pack makes one area's pack; loop over resolve_areas('all')")
    return refs[0]


def _area_shape(data: ReportData, ref: AreaRef) -> gpd.GeoDataFrame:
    """Return the area's polygon (one row, ``name``, EPSG:5514)."""
    districts = data.layers["districts"]
    if ref.kind == "district":
        shape = districts.loc[districts["NAZEV"].astype(str) == ref.name]
    else:
        layer = data.layers.get("mdt_areas")
        if layer is None or not (layer["name"].astype(str) == ref.name).any():
            from apk_geo.enrich import mdt_area_polygons

            layer = mdt_area_polygons(districts, data.config.mdt_areas)
        shape = layer.loc[layer["name"].astype(str) == ref.name]
    if shape.empty:
        kind = Message(f"pack.kind.{ref.kind}")
        raise ParameterError(Message("pack.err.no_polygon", kind=kind, name=repr(ref.name)))
    geom = shapely.union_all(shape.geometry.to_numpy())
    return gpd.GeoDataFrame({"name": [ref.name]}, geometry=[geom], crs=CRS_METRIC)


def _base_params(req: _Request) -> dict[str, Any]:
    """Return the pack's parameters known before the analysis (it adds its own)."""
    return {
        "area": req.ref.name,
        "area_kind": req.ref.kind,
        "month": str(req.month),
        "tier": req.tier,
        "lang": req.lang,
        "cell_size_m": float(req.cell_size_m),
    }


@dataclass(frozen=True)
class _Selection:
    """The incidents a pack counts: the area's by month, and what the store covers."""

    month: pd.Period
    #: Calendar month of every incident of the store (local time).
    months: pd.Series
    #: Whether each incident of the store has a location.
    located: np.ndarray
    month_pts: gpd.GeoDataFrame
    prev_pts: gpd.GeoDataFrame
    year_pts: gpd.GeoDataFrame
    #: The :data:`EMERGING_MONTHS` months ending with the pack's month.
    window_pts: gpd.GeoDataFrame
    #: First and last incident of the store (local time), ``None`` for an empty store.
    first: pd.Timestamp | None
    last: pd.Timestamp | None
    #: Whether the store's data cover the whole previous month / the month a year earlier.
    prev_known: bool
    year_known: bool


def _select_incidents(data: ReportData, ref: AreaRef, month: pd.Period) -> _Selection:
    """Return the area's located incidents of the month, the month before, a year earlier."""
    inc = data.incidents
    local = local_naive(inc["reported_at"])
    months = local.dt.to_period("M")
    col = "mdt_area" if ref.kind == "mdt_area" else "district_name"
    located = located_mask(inc)
    in_area = (inc[col].astype(object) == ref.name).to_numpy(dtype=bool) & located
    area_inc = inc.loc[in_area]
    area_months = months[in_area]
    window = (area_months > month - EMERGING_MONTHS) & (area_months <= month)
    first = local.min() if len(local) else None
    last = local.max() if len(local) else None
    if not _covered(month, first, last):
        logger.warning(
            "report: the store's data (%s – %s) do not cover all of %s", first, last, month
        )
    return _Selection(
        month=month,
        months=months,
        located=located,
        month_pts=area_inc.loc[(area_months == month).to_numpy()],
        prev_pts=area_inc.loc[(area_months == month - 1).to_numpy()],
        year_pts=area_inc.loc[(area_months == month - 12).to_numpy()],
        window_pts=area_inc.loc[window.to_numpy()],
        first=first,
        last=last,
        prev_known=_covered(month - 1, first, last),
        year_known=_covered(month - 12, first, last),
    )


def _covered(month: pd.Period, first: pd.Timestamp | None, last: pd.Timestamp | None) -> bool:
    """Whether the data span covers the whole month (so a zero is a real zero)."""
    if first is None or last is None:
        return False
    start, end = month.start_time, (month + 1).start_time
    return bool(first.normalize() <= start and last >= end - pd.Timedelta(days=1))


@dataclass(frozen=True)
class _Counts:
    """The pack's counts: key figures, categories and outcomes."""

    figures: KeyFigures
    categories: pd.DataFrame
    outcomes: pd.DataFrame


def _count_tables(sel: _Selection, *, lang: str, config: Config) -> _Counts:
    """Return the key figures and the category and outcome tables of the month."""
    categories = category_table(
        sel.month_pts,
        sel.prev_pts,
        sel.year_pts,
        month=sel.month,
        prev_known=sel.prev_known,
        year_known=sel.year_known,
        lang=lang,
        config=config,
    )
    return _Counts(_key_figures(sel), categories, outcome_table(sel.month_pts, lang))


def _key_figures(sel: _Selection) -> KeyFigures:
    """Incidents of the month and of the months compared (``None`` where not covered)."""
    n = len(sel.month_pts)
    n_prev = len(sel.prev_pts) if sel.prev_known else None
    n_year = len(sel.year_pts) if sel.year_known else None
    return KeyFigures(n, n_prev, n_year, _pct(n, n_prev), _pct(n, n_year))


def _pct(n: int, base: int | None) -> float | None:
    if base is None or base == 0:
        return None
    return 100.0 * (n - base) / base


def _hotspots(
    shape: gpd.GeoDataFrame,
    sel: _Selection,
    data: ReportData,
    *,
    req: _Request,
    params: dict[str, Any],
) -> Hotspots:
    """Run the hotspot analysis of the area (:mod:`apk_geo.reports._hotspots`).

    In the presenter tier only cells with at least ``min_public_count`` incidents are ranked,
    and classes that point to fewer incidents are cleared (:func:`._hotspots.rank`).
    """
    k = data.config.min_public_count
    presenter = req.tier == "presenter"
    return analyse_hotspots(
        shape,
        sel.month_pts,
        sel.prev_pts,
        sel.window_pts,
        month=req.month,
        cell_size_m=req.cell_size_m,
        top=req.top,
        lang=req.lang,
        layers=data.layers,
        hostel_radius_m=data.config.hostel_buffer_m,
        params=params,
        min_n=k if presenter else 1,
        signal_min=k if presenter else None,
    )


@dataclass(frozen=True)
class _AreaLayers:
    """The context of the area: map layers and the SVL/hostel table."""

    districts: gpd.GeoDataFrame
    svl: gpd.GeoDataFrame
    hostels: gpd.GeoDataFrame
    places: pd.DataFrame


def _area_layers(data: ReportData, shape: gpd.GeoDataFrame, sel: _Selection) -> _AreaLayers:
    """Cut the districts, SVLs and hostel buffers to the area; count incidents in them."""
    geom = shape.geometry.iloc[0]
    buffer_m = data.config.hostel_buffer_m
    svl = in_area(data.layers.get("svl"), geom)
    hostels = in_area(data.layers.get("hostels"), geom, buffer_m=buffer_m)
    places = places_table(shape, svl, hostels, sel.month_pts, sel.prev_pts, buffer_m=buffer_m)
    if not sel.prev_known:
        places["n_previous"] = pd.array([pd.NA] * len(places), dtype="Int64")
        places["diff"] = pd.array([pd.NA] * len(places), dtype="Int64")
    districts = data.layers["districts"]
    inside = districts.geometry.representative_point().within(geom).to_numpy(dtype=bool)
    area_districts = districts.loc[inside]
    return _AreaLayers(
        districts=area_districts[["NAZEV", area_districts.geometry.name]].copy(),
        svl=svl,
        hostels=hostels,
        places=places,
    )


def _data_notes(data: ReportData, sel: _Selection, *, emerging_note: str | None) -> DataNotes:
    """Return the facts behind the pack: period, data span, geocoding, quarantine."""
    mon = sel.month
    all_month = (sel.months == mon).to_numpy()
    return DataNotes(
        month_start=mon.start_time,
        month_end=(mon + 1).start_time - pd.Timedelta(days=1),
        data_from=sel.first,
        data_to=sel.last,
        month_records_city=int(all_month.sum()),
        month_geocoded_city=int((all_month & sel.located).sum()),
        quarantined=int(data.quarantined),
        synthetic=data.synthetic,
        emerging_note=emerging_note,
    )


def _internal_points(sel: _Selection, tier: str, *, crs: Any) -> gpd.GeoDataFrame | None:
    """Return the month's incident points for the internal tier, ``None`` for presenters."""
    if tier != "internal":
        return None
    pts = sel.month_pts
    return gpd.GeoDataFrame(
        pts[[*_POINT_COLUMNS, pts.geometry.name]], geometry=pts.geometry.name, crs=crs
    )


def _log_pack(pack: Pack, *, n_hot: int) -> None:
    """Log the pack as its tier shows it (a presenter pack's log holds no exact small count)."""
    view = pack.view
    logger.info(
        "report: %s %s (%s): %s incidents, %d hot cells listed, cell %s m%s",
        pack.area,
        pack.month,
        pack.tier,
        pack.count(pack.figures.n),
        n_hot,
        f"{pack.params['cell_size_m']:.0f}",
        f", disclosure steps {list(view.steps)}" if view is not None and view.steps else "",
    )


def _atoms(
    req: _Request,
    hot: Hotspots,
    layers: _AreaLayers,
    shape: gpd.GeoDataFrame,
    *,
    sel: _Selection,
    buffer_m: float,
) -> pd.DataFrame | None:
    """The presenter tier's incidents per cell and set of places (for the audit only)."""
    if req.tier != "presenter":
        return None
    shapes = place_shapes(
        layers.places, layers.svl, layers.hostels, shape.geometry.iloc[0], buffer_m=buffer_m
    )
    points = {0: sel.month_pts}
    if sel.prev_known:
        points[1] = sel.prev_pts
    return atom_counts(hot.cells, shapes, points)


def _assemble(
    data: ReportData,
    req: _Request,
    shape: gpd.GeoDataFrame,
    *,
    counts: _Counts,
    hot: Hotspots,
    layers: _AreaLayers,
    notes: DataNotes,
    sel: _Selection,
    params: dict[str, Any],
) -> Pack:
    """Put the steps' results together."""
    return Pack(
        area=req.ref.name,
        area_kind=req.ref.kind,
        month=req.month,
        lang=req.lang,
        tier=req.tier,
        min_count=data.config.min_public_count,
        figures=counts.figures,
        categories=counts.categories,
        outcomes=counts.outcomes,
        cells=hot.cells,
        hotspots=hot.table,
        places=layers.places,
        new_hotspots=hot.new,
        intensifying_hotspots=hot.intensifying,
        area_shape=shape,
        districts=layers.districts,
        svl=layers.svl,
        hostels=layers.hostels,
        points=_internal_points(sel, req.tier, crs=data.incidents.crs),
        notes=notes,
        params=params,
        synthetic=data.synthetic,
        hostel_buffer_m=data.config.hostel_buffer_m,
        atoms=_atoms(req, hot, layers, shape, sel=sel, buffer_m=data.config.hostel_buffer_m),
        top=req.top,
    )
