"""The synthetic incident generator: where, what, when and by whom.

:func:`generate_incidents` draws incidents with structure an APK assistant would recognise:
concentration in and around SVL and hostels (distance-decay weights of the address points),
syringes near them (more in the "Jehla" campaign weeks), truancy near schools on school-day
mornings, alcohol and noise in the evenings and at weekends, summer seasonality. The day and hour
rates come from :mod:`apk_geo.demo.calendar`; every note is clearly fake (``DEMO – …``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd

from apk_geo._validate import require_columns, require_crs
from apk_geo.config import Config
from apk_geo.demo.calendar import _day_weights, _hour_weights, default_end, jehla_days
from apk_geo.enrich import Context
from apk_geo.errors import ParameterError
from apk_geo.schema import CATEGORIES, CRS_METRIC, OUTCOMES, TIMEZONE
from apk_geo.times import as_timestamp

__all__ = ["PLACE_TYPES", "generate_incidents"]

#: Where an incident happens: in/around an SVL, around a hostel, around a school, elsewhere.
PLACE_TYPES: Final = ("svl", "hostel", "school", "general")
_PLACE_SHARE: Final = (0.30, 0.22, 0.10, 0.38)

_CATS: Final = tuple(c.code for c in CATEGORIES)
#: Category mix per place type (columns in the order of :data:`apk_geo.schema.CATEGORIES`:
#: public_order, littering, alcohol, dogs, truancy, syringes, noise, neighbour_dispute,
#: help_debt, help_unemployment, help_housing, other).
_CATEGORY_MIX: Final[Mapping[str, tuple[float, ...]]] = {
    "svl": (0.13, 0.16, 0.09, 0.05, 0.04, 0.14, 0.10, 0.10, 0.06, 0.04, 0.05, 0.04),
    "hostel": (0.15, 0.12, 0.16, 0.03, 0.02, 0.20, 0.10, 0.07, 0.04, 0.03, 0.06, 0.02),
    "school": (0.10, 0.08, 0.04, 0.06, 0.52, 0.03, 0.03, 0.03, 0.01, 0.01, 0.01, 0.08),
    "general": (0.18, 0.18, 0.14, 0.16, 0.03, 0.02, 0.12, 0.08, 0.03, 0.02, 0.01, 0.03),
}
#: Outcome mix per category (resolved_on_spot, patrol_called, referred, no_action).
_OUTCOME_MIX: Final[Mapping[str, tuple[float, ...]]] = {
    "public_order": (0.55, 0.30, 0.03, 0.12),
    "littering": (0.65, 0.10, 0.05, 0.20),
    "alcohol": (0.55, 0.30, 0.02, 0.13),
    "dogs": (0.70, 0.15, 0.00, 0.15),
    "truancy": (0.40, 0.10, 0.45, 0.05),
    "syringes": (0.85, 0.05, 0.05, 0.05),
    "noise": (0.45, 0.40, 0.02, 0.13),
    "neighbour_dispute": (0.50, 0.25, 0.15, 0.10),
    "help_debt": (0.15, 0.00, 0.80, 0.05),
    "help_unemployment": (0.15, 0.00, 0.80, 0.05),
    "help_housing": (0.15, 0.00, 0.80, 0.05),
    "other": (0.50, 0.15, 0.15, 0.20),
}
#: Outcome mix of a category missing from :data:`_OUTCOME_MIX`.
_DEFAULT_OUTCOME_MIX: Final = (0.5, 0.2, 0.1, 0.2)
#: Address columns copied from the chosen address point to the incident.
_ADDRESS_COLUMNS: Final = (
    "adm",
    "street",
    "house_no",
    "orient_no",
    "orient_letter",
    "part",
    "momc",
    "psc",
)
#: Share of incidents recorded by an assistant from another MDT area (helping out).
_HELP_OUT_SHARE: Final = 0.08

_NOTES: Final[Mapping[str, tuple[str, ...]]] = {
    "public_order": (
        "skupina osob blokovala vchod do domu, po domluvě se rozešli",
        "znečištěný prostor u kontejnerů, upozornění nájemníků",
    ),
    "littering": ("odpad vedle kontejnerů, informován správce", "černá skládka u garáží"),
    "alcohol": (
        "požívání alkoholu na dětském hřišti, poučení o vyhlášce",
        "skupina {n} osob s alkoholem u zastávky",
    ),
    "dogs": ("volně pobíhající pes bez náhubku, majitel poučen", "pes bez vodítka v parku"),
    "truancy": (
        "{n} nezletilí v době vyučování mimo školu, kontaktována škola",
        "žák v době vyučování na zastávce, předáno OSPOD",
    ),
    "syringes": (
        "nalezeno {n} ks injekčních stříkaček, bezpečně uloženo do kontejneru",
        "stříkačky u pískoviště, uloženo do sběrné nádoby",
    ),
    "noise": ("hlasitá hudba po 22. hodině, po upozornění ztišeno", "křik na chodbě domu"),
    "neighbour_dispute": (
        "spor sousedů o úklid společných prostor",
        "hádka sousedů kvůli hluku, domluva",
    ),
    "help_debt": ("klient žádá pomoc s exekucí, předán kontakt na dluhovou poradnu",),
    "help_unemployment": ("klient hledá práci, předán kontakt na úřad práce",),
    "help_housing": ("klientka ohrožena ztrátou bydlení, kontakt na sociální odbor",),
    "other": ("pomoc seniorce s orientací", "informace o provozu sběrného dvora"),
}


def generate_incidents(
    addresses: gpd.GeoDataFrame,
    context: Context,
    *,
    config: Config,
    seed: int = 42,
    n_incidents: int = 30_000,
    end: pd.Timestamp | date | str | None = None,
    months: int = 36,
    id_prefix: str = "",
) -> gpd.GeoDataFrame:
    """Draw synthetic APK incidents at gazetteer addresses.

    Each incident picks a place type (SVL 30 %, hostel 22 %, school 10 %, anywhere 38 %), an
    address near such a place (distance-decay weights), a category from the place type's mix
    (syringes near hostels/SVL, truancy near schools …), a day from the category's rate (summer
    seasonality; alcohol and noise on Friday/Saturday; syringes ×4 in "Jehla" weeks; truancy on
    school days) and an hour (truancy 7–11 h, alcohol and noise in the evening).

    Parameters
    ----------
    addresses
        Address points (:func:`apk_geo.demo.read_address_points`), EPSG:5514.
    context
        The context layers (SVL, hostels, schools).
    config
        ``mdt_areas`` decide which assistant (two per MDT area) records the incident.
    seed
        Random seed; the same seed gives the same incidents.
    n_incidents
        Number of incidents.
    end
        Exclusive end (midnight, local time); default the first day of the current month.
    months
        Length of the period in months.
    id_prefix
        Prefix of the record ids (``"2024/00017"`` → ``prefix + "2024/00017"``).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per incident sorted by time: ``id, reported_at (Europe/Prague), category,
        outcome, assistant, note, place_type, adm, street, house_no, orient_no, orient_letter,
        part, momc, psc`` and the true Point geometry in EPSG:5514; ``attrs["params"]`` holds
        the seed, the count, the period and the place types used.

    Raises
    ------
    ParameterError
        If ``n_incidents`` is below 1 or ``end`` is not a date.
    SchemaError, CRSError
        If ``addresses`` lacks a column or a CRS.
    """
    _check_addresses(addresses, n_incidents=n_incidents)
    rng = np.random.default_rng(seed)
    start, stop = _period(end, months=months)
    days = pd.date_range(start, stop - pd.Timedelta(days=1), freq="D")
    addr = addresses.to_crs(CRS_METRIC).reset_index(drop=True)
    weights = _place_weights(addr, context)
    types = [t for t in PLACE_TYPES if t in weights]
    place = _draw_place_types(types, n_incidents=n_incidents, rng=rng)
    addr_idx, cat_idx = _draw_addresses_and_categories(place, types, weights, rng=rng)
    day, hour, outcome = _draw_days_hours_outcomes(cat_idx, days=days, rng=rng)
    reported = _report_times(days[day], hour, rng=rng)
    chosen = addr.iloc[addr_idx].reset_index(drop=True)
    out = _incident_frame(
        chosen,
        reported=reported,
        categories=np.array(_CATS, dtype=object)[cat_idx],
        outcome=outcome,
        place_type=np.array(types, dtype=object)[place],
        config=config,
        rng=rng,
    )
    out = _numbered_by_year(out, id_prefix=id_prefix)
    out.attrs["params"] = {
        "seed": seed,
        "n_incidents": n_incidents,
        "start": str(start.date()),
        "end_exclusive": str(stop.date()),
        "place_types": types,
    }
    return out


def _check_addresses(addresses: gpd.GeoDataFrame, *, n_incidents: int) -> None:
    """Check the address points and the number of incidents asked for."""
    require_crs(addresses, name="addresses")
    require_columns(addresses, ("adm", "momc", "street", "house_no", "orient_no"), name="addresses")
    if n_incidents < 1:
        raise ParameterError(f"n_incidents must be >= 1, got {n_incidents!r}")


def _period(
    end: pd.Timestamp | date | str | None, *, months: int
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Return the period's first day and its exclusive end (naive local midnights)."""
    if end is None:
        stop = default_end()
    else:
        stop = as_timestamp(end, name="end", example="2026-11-01").tz_localize(None)
    stop = stop.normalize()
    return stop - pd.DateOffset(months=months), stop


def _place_weights(addresses: gpd.GeoDataFrame, context: Context) -> dict[str, np.ndarray]:
    """Sampling weight of every address point for each place type (0 = not a candidate)."""
    xy = addresses.geometry
    weights: dict[str, np.ndarray] = {}
    if len(context.svl):
        svl = context.svl.geometry.union_all()
        d = np.asarray(xy.distance(svl), dtype=float)
        weights["svl"] = np.where(d <= 350, np.exp(-d / 120), 0.0)
    if len(context.hostels):
        d = np.asarray(xy.distance(context.hostels.geometry.union_all()), dtype=float)
        weights["hostel"] = np.where(d <= 400, np.exp(-d / 100), 0.0)
    schools = context.schools
    if "LABEL_1" in schools.columns:
        kind = schools["LABEL_1"].astype("string").fillna("")
        schools = schools.loc[kind.str.contains("Základní|Střední|Gymnázium|Odborná|Speciální")]
    if len(schools):
        d = np.asarray(xy.distance(schools.geometry.union_all()), dtype=float)
        weights["school"] = np.where(d <= 400, 1.0, 0.0)
    weights["general"] = np.ones(len(addresses))
    return {k: v for k, v in weights.items() if v.sum() > 0}


def _draw_place_types(
    types: Sequence[str], *, n_incidents: int, rng: np.random.Generator
) -> np.ndarray:
    """Draw each incident's place type (an index into ``types``) by :data:`_PLACE_SHARE`."""
    share = np.array([_PLACE_SHARE[PLACE_TYPES.index(t)] for t in types])
    return rng.choice(len(types), size=n_incidents, p=share / share.sum())


def _draw_addresses_and_categories(
    place: np.ndarray,
    types: Sequence[str],
    weights: Mapping[str, np.ndarray],
    *,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Draw an address point and a category for each incident, by its place type."""
    addr_idx = np.empty(len(place), dtype=int)
    cat_idx = np.empty(len(place), dtype=int)
    for k, t in enumerate(types):
        rows = np.flatnonzero(place == k)
        w = weights[t]
        addr_idx[rows] = rng.choice(len(w), size=len(rows), p=w / w.sum())
        mix = np.array(_CATEGORY_MIX[t])
        cat_idx[rows] = rng.choice(len(_CATS), size=len(rows), p=mix / mix.sum())
    return addr_idx, cat_idx


def _draw_days_hours_outcomes(
    cat_idx: np.ndarray, *, days: pd.DatetimeIndex, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw each incident's day (index into ``days``), hour and outcome by its category."""
    day = np.empty(len(cat_idx), dtype=int)
    hour = np.empty(len(cat_idx), dtype=int)
    outcome = np.empty(len(cat_idx), dtype=object)
    outcome_codes = np.array([o.code for o in OUTCOMES], dtype=object)
    for c, cat in enumerate(_CATS):
        rows = np.flatnonzero(cat_idx == c)
        day[rows] = rng.choice(len(days), size=len(rows), p=_day_weights(days, cat))
        hour[rows] = rng.choice(24, size=len(rows), p=_hour_weights(cat))
        mix = np.array(_OUTCOME_MIX.get(cat, _DEFAULT_OUTCOME_MIX))
        outcome[rows] = outcome_codes[rng.choice(len(mix), size=len(rows), p=mix / mix.sum())]
    return day, hour, outcome


def _report_times(
    days: pd.DatetimeIndex, hour: np.ndarray, *, rng: np.random.Generator
) -> pd.DatetimeIndex:
    """Add the hour and a random minute to each day and localise to Europe/Prague.

    A time in the spring daylight-saving gap becomes 03:00 (``shift_forward``), an ambiguous
    autumn time the standard-time one: the generator's own rule, kept so that a seed gives the
    same incidents as before (:mod:`apk_geo.times` moves gap times by the gap instead).
    """
    minute = rng.integers(0, 60, len(days))
    local = days + pd.to_timedelta(hour, unit="h") + pd.to_timedelta(minute, unit="m")
    return local.tz_localize(TIMEZONE, ambiguous=False, nonexistent="shift_forward")


def _incident_frame(
    chosen: gpd.GeoDataFrame,
    *,
    reported: pd.DatetimeIndex,
    categories: np.ndarray,
    outcome: np.ndarray,
    place_type: np.ndarray,
    config: Config,
    rng: np.random.Generator,
) -> gpd.GeoDataFrame:
    """Lay the draws out as incidents at the chosen address points, sorted by time."""
    columns: dict[str, Any] = {
        "reported_at": reported,
        "category": pd.array(categories, dtype="string"),
        "outcome": pd.array(outcome, dtype="string"),
    }
    # the assistants are drawn before the notes: the order of the random draws is part of a seed
    columns["assistant"] = _assistants(chosen["momc"], config=config, rng=rng)
    columns["note"] = _notes(categories, reported, rng)
    columns["place_type"] = pd.array(place_type, dtype="string")
    for c in _ADDRESS_COLUMNS:
        if c in chosen.columns:
            columns[c] = chosen[c].astype("string")
    out = gpd.GeoDataFrame(columns, geometry=chosen.geometry.values, crs=CRS_METRIC)
    return out.sort_values("reported_at", kind="stable").reset_index(drop=True)


def _numbered_by_year(incidents: gpd.GeoDataFrame, *, id_prefix: str) -> gpd.GeoDataFrame:
    """Insert the record ids ``<prefix><year>/<nnnnn>``, numbered in time order per year."""
    year = incidents["reported_at"].dt.year.to_numpy()
    seq = incidents.groupby(year).cumcount().to_numpy() + 1
    ids = [f"{id_prefix}{y}/{s:05d}" for y, s in zip(year, seq, strict=True)]
    incidents.insert(0, "id", pd.array(ids, dtype="string"))
    return incidents


def _assistants(momc: pd.Series, *, config: Config, rng: np.random.Generator) -> pd.Series:
    """Pseudonymous assistant codes: two per MDT area, 8 % help out elsewhere."""
    areas = list(config.mdt_area_names)
    codes = {a: (f"APK-{2 * i + 1:02d}", f"APK-{2 * i + 2:02d}") for i, a in enumerate(areas)}
    all_codes = [c for pair in codes.values() for c in pair]
    out = []
    for district, r, pick, other in zip(
        momc,
        rng.random(len(momc)),
        rng.integers(0, 2, len(momc)),
        rng.integers(0, len(all_codes), len(momc)),
        strict=True,
    ):
        area = config.mdt_areas.get(str(district))
        if area is None or r < _HELP_OUT_SHARE:
            out.append(all_codes[other])
        else:
            out.append(codes[area][pick])
    return pd.Series(out, dtype="string")


def _notes(categories: np.ndarray, reported: pd.DatetimeIndex, rng: np.random.Generator) -> Any:
    """Clearly fake free-text notes ("DEMO – smyšlený záznam: …")."""
    campaign = jehla_days(reported.tz_localize(None).normalize())
    out = []
    for cat, pick, n, jehla in zip(
        categories,
        rng.integers(0, 10, len(categories)),
        rng.integers(2, 7, len(categories)),
        campaign,
        strict=True,
    ):
        options = _NOTES.get(str(cat), _NOTES["other"])
        text = options[pick % len(options)].format(n=n)
        if cat == "syringes" and jehla:
            text += " (akce Jehla)"
        out.append(f"DEMO – smyšlený záznam: {text}")
    return pd.array(out, dtype="string")
