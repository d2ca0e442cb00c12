"""The matching cascade and :func:`geocode`, the public entry point of :mod:`apk_geo.geocode`.

Matching runs in stages, each vectorised over the distinct address strings (inputs repeat a
lot, so every distinct string is parsed and matched once):

1. **exact** — normalised keys (folded street name, numbers, letter) joined to the gazetteer;
2. **fuzzy** — for street names not in the gazetteer, the most similar street name
   (:func:`rapidfuzz.fuzz.WRatio`, within the given part of town when one is given) at or above
   ``min_score``; also partial number matches (e.g. the orientation letter ignored);
3. **street** — a street without a house number (or with one the street does not have) is placed
   at the street's centre;
4. **failed** — kept, with ``geocode_reason`` saying why.

Coordinates present in the input pass through as ``coordinates`` by the rule of
:func:`apk_geo.coords.resolve_coordinates` (swapped axes and wrong signs fixed against the city
extent, or rejected with a reason, in which case the address is used).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz, process

from apk_geo._strings_geo import note
from apk_geo.coords import (
    Extent,
    _city_extent,
    _Coords,
    _pass_through,
    transformer_to_wgs84,
)
from apk_geo.errors import ParameterError, SchemaError
from apk_geo.geocode.address import _letter_codes, _parse_series, _strip_obec
from apk_geo.geocode.gazetteer import GazetteerIndex, build_index
from apk_geo.geocode.lookup import (
    _COORDINATES,
    _FAILED,
    _STREET,
    MATCH_KINDS,
    PARTIAL_NUMBER_SCORE,
    _match_numbers,
    _Results,
)

__all__ = [
    "MATCH_KINDS",
    "OUTPUT_COLUMNS",
    "PARTIAL_NUMBER_SCORE",
    "PLACE_MIN_SCORE",
    "geocode",
]

logger = logging.getLogger(__name__)

#: Columns that :func:`geocode` adds (or overwrites), in this order.
OUTPUT_COLUMNS: Final = (
    "lat",
    "lon",
    "x_5514",
    "y_5514",
    "match",
    "score",
    "ruian_adm",
    "geocode_reason",
)

#: Street names shortlisted by plain similarity before ranking by WRatio.
_FUZZY_SHORTLIST: Final = 8
#: Minimum score to accept a fuzzy correction of a place (part-of-town) name.
PLACE_MIN_SCORE: Final = 85.0

OnMissingNumber = Literal["street", "failed"]


# ---------------------------------------------------------------------------------------------
# geocode()


def geocode(
    df: pd.DataFrame,
    index: GazetteerIndex | pd.DataFrame | None,
    *,
    address_col: str = "address",
    min_score: float = 85.0,
    city_extent_5514: Extent | None = None,
    on_missing_number: OnMissingNumber = "street",
    lat_col: str = "lat",
    lon_col: str = "lon",
    x_col: str = "x",
    y_col: str = "y",
) -> pd.DataFrame:
    """Geocode addresses against RÚIAN; pass through coordinates already present.

    Parameters
    ----------
    df
        Input table; not modified. Needs ``address_col`` or coordinate columns (or both).
    index
        A :class:`GazetteerIndex` (build it once with :func:`build_index` when geocoding
        several tables), a gazetteer frame from :func:`load_ruian_csv`, or ``None`` when there
        is no gazetteer: then only coordinates place a row and every other row fails with the
        reason ``no gazetteer to look the address up``.
    address_col
        Column with the address text.
    min_score
        Lowest similarity (0–100, :func:`rapidfuzz.fuzz.WRatio`) at which a misspelt street
        name is accepted as a fuzzy match.
    city_extent_5514
        ``(min_x, min_y, max_x, max_y)`` in EPSG:5514 against which input coordinates are
        checked (and their axis order and signs detected). ``None``: Ostrava's bounding box
        plus 2 km (:func:`default_city_extent_5514`).
    on_missing_number
        What to do with a house number that the (found) street does not have: place it at the
        street centre (``"street"``, default) or report it as failed.
    lat_col, lon_col, x_col, y_col
        Input coordinate columns: WGS84 degrees, S-JTSK metres (either sign convention).

    Returns
    -------
    pandas.DataFrame
        ``df`` (same index, every column) with :data:`OUTPUT_COLUMNS` added or overwritten:
        ``lat``, ``lon`` (EPSG:4326), ``x_5514``, ``y_5514`` (EPSG:5514), all float, NaN when
        failed; ``match`` (str: ``exact``, ``fuzzy``, ``street``, ``coordinates``, ``failed``);
        ``score`` (float 0–100; 0 when failed); ``ruian_adm`` (Int64, the address point's
        RÚIAN code for exact and fuzzy matches); ``geocode_reason`` (str, ``""`` when nothing
        needed saying: what was fixed, or why it failed). ``attrs["params"]`` records the
        parameters and the counts per match kind.

    Raises
    ------
    SchemaError
        If ``df`` has neither ``address_col`` nor a pair of coordinate columns.
    ParameterError
        If ``min_score`` is not within 0–100, ``on_missing_number`` is unknown or
        ``city_extent_5514`` is malformed (a ``ValueError``).

    Examples
    --------
    A one-point gazetteer (the Magistrát, RÚIAN ADM 3182860):

    >>> gaz = pd.DataFrame({"adm": [3182860], "obec_code": [554821], "obec": ["Ostrava"],
    ...     "part_code": [413551], "part": ["Moravská Ostrava"], "street": ["30. dubna"],
    ...     "so_type": ["č.p."], "house_no": [635], "orient_no": [35], "orient_letter": [None],
    ...     "x_5514": [-470066.63], "y_5514": [-1100967.06]})
    >>> out = geocode(pd.DataFrame({"address": ["30. dubna 35", "Nikde 1"]}), gaz)
    >>> out["match"].tolist(), out["ruian_adm"].tolist()
    (['exact', 'failed'], [3182860, <NA>])
    >>> out[["lat", "lon"]].iloc[0].round(4).tolist()
    [49.8413, 18.2893]
    """
    columns = (lat_col, lon_col, x_col, y_col)
    _check_options(df, address_col, columns, min_score=min_score, on_missing=on_missing_number)
    extent = _city_extent(city_extent_5514)
    gazetteer = build_index(index) if isinstance(index, pd.DataFrame) else index
    # Coordinates given in the input place their rows first.
    coords = _pass_through(
        df, lat_col=lat_col, lon_col=lon_col, x_col=x_col, y_col=y_col, extent=extent
    )
    placed = _Placed.from_coordinates(coords)
    todo = ~coords.ok
    if address_col in df.columns and gazetteer is not None and todo.any():
        # The other rows by their address: each distinct string parsed and matched once.
        codes, uniques = _distinct(df[address_col], todo)
        parsed = _parse_series(uniques)
        res = _match_unique(
            parsed, gazetteer, min_score=float(min_score), on_missing_number=on_missing_number
        )
        _scatter_rows(placed, res, gazetteer, positions=np.flatnonzero(todo), codes=codes)
    else:
        _explain_not_looked_up(placed, df.get(address_col), todo)
    params = {
        "min_score": float(min_score),
        "city_extent_5514": list(extent),
        "city_extent_auto": city_extent_5514 is None,
        "on_missing_number": on_missing_number,
        "gazetteer_points": 0 if gazetteer is None else len(gazetteer.points),
    }
    return _output(df, placed, params)


def _check_options(
    df: pd.DataFrame,
    address_col: str,
    columns: tuple[str, str, str, str],
    *,
    min_score: float,
    on_missing: str,
) -> None:
    """Refuse a table with nothing to geocode and options out of range.

    ``columns`` are the coordinate columns ``(lat, lon, x, y)``; ``on_missing`` is
    ``on_missing_number``.
    """
    lat_col, lon_col, x_col, y_col = columns
    has_address = address_col in df.columns
    has_ll = lat_col in df.columns and lon_col in df.columns
    has_xy = x_col in df.columns and y_col in df.columns
    if not (has_address or has_ll or has_xy):
        raise SchemaError(
            f"nothing to geocode: no column {address_col!r} and no coordinate pair "
            f"({lat_col!r}/{lon_col!r} or {x_col!r}/{y_col!r}); the table has "
            f"{list(map(str, df.columns))[:20]}; pass address_col=... to name the address column"
        )
    if not 0.0 <= float(min_score) <= 100.0:
        raise ParameterError(f"min_score must be within 0–100, got {min_score!r}")
    if on_missing not in ("street", "failed"):
        raise ParameterError(f"on_missing_number must be 'street' or 'failed', got {on_missing!r}")


@dataclass
class _Placed:
    """Per input row: where it was placed, how, and why (the columns of the output)."""

    x: np.ndarray
    y: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    match: np.ndarray  # int8 code, position in MATCH_KINDS
    score: np.ndarray
    adm: np.ndarray  # int64, -1 none
    reason: np.ndarray  # object

    @classmethod
    def from_coordinates(cls, coords: _Coords) -> _Placed:
        """Rows placed by their own coordinates (``coordinates``, score 100); others failed."""
        n = len(coords.ok)
        ok = coords.ok
        out = cls(
            x=np.full(n, np.nan),
            y=np.full(n, np.nan),
            lat=np.full(n, np.nan),
            lon=np.full(n, np.nan),
            match=np.full(n, _FAILED, dtype=np.int8),
            score=np.zeros(n),
            adm=np.full(n, -1, dtype=np.int64),
            reason=coords.reason.copy(),
        )
        out.x[ok], out.y[ok] = coords.x[ok], coords.y[ok]
        out.match[ok] = _COORDINATES
        out.score[ok] = 100.0
        if ok.any():
            lo, la = transformer_to_wgs84().transform(out.x[ok], out.y[ok])
            out.lon[ok], out.lat[ok] = lo, la
        return out


def _distinct(texts: pd.Series, todo: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """Codes of the rows still to place into their distinct address strings (``-1``: missing)."""
    return pd.factorize(texts if todo.all() else texts.loc[todo], use_na_sentinel=True)


def _scatter_rows(
    placed: _Placed,
    res: _Results,
    index: GazetteerIndex,
    *,
    positions: np.ndarray,
    codes: np.ndarray,
) -> None:
    """Copy the results of the distinct addresses to the rows at ``positions`` (``codes``)."""
    valid = codes >= 0
    pos_v, code_v = positions[valid], codes[valid]
    row = res.row[code_v]
    street = res.street[code_v]
    has_row, has_st = row >= 0, street >= 0

    def _value(col: str) -> np.ndarray:
        # the address point's value, or the street centre's for street matches
        at_point = np.where(has_row, index.points[col].to_numpy()[np.maximum(row, 0)], np.nan)
        centre = index.street_centre[col].to_numpy()
        return np.where(has_st, centre[np.maximum(street, 0)], at_point)

    placed.x[pos_v], placed.y[pos_v] = _value("x_5514"), _value("y_5514")
    placed.lat[pos_v], placed.lon[pos_v] = _value("lat"), _value("lon")
    placed.match[pos_v] = res.match[code_v]
    placed.score[pos_v] = res.score[code_v]
    adm = index.points["adm"].to_numpy()
    placed.adm[pos_v] = np.where(has_row, adm[np.maximum(row, 0)], -1)
    placed.reason[pos_v] = _merge_reasons(
        placed.reason[pos_v], res.reason[code_v], res.match[code_v]
    )
    empty = positions[~valid]
    placed.reason[empty] = [
        f"{r}; {note('geo.note.no_address')}" if r else note("geo.note.no_location")
        for r in placed.reason[empty]
    ]


def _merge_reasons(prior: np.ndarray, new: np.ndarray, match: np.ndarray) -> np.ndarray:
    """Join a rejected-coordinates reason with the address result's reason."""
    with_prior = prior != ""
    if not with_prior.any():
        return new
    out = new.copy()
    out[with_prior] = [
        "; ".join(t for t in (p, note("geo.note.address_used") if m != _FAILED else "", r) if t)
        for p, r, m in zip(prior[with_prior], new[with_prior], match[with_prior], strict=True)
    ]
    return out


def _explain_not_looked_up(placed: _Placed, text: pd.Series | None, todo: np.ndarray) -> None:
    """Reasons for the rows left unplaced when no address could be looked up.

    ``text`` is the address column (``None`` when there is none); with a text column this is
    called only when there is no gazetteer.
    """
    if not todo.any():
        return
    prior = placed.reason[todo]
    if text is None:
        placed.reason[todo] = [r if r else note("geo.note.no_location") for r in prior]
        return
    # No gazetteer: an address cannot be looked up, only coordinates place a row.
    has_text = (text.notna() & text.astype(str).str.strip().ne("")).to_numpy(dtype=bool)
    why = np.where(
        has_text[todo],
        note("geo.note.no_gazetteer"),
        np.where(prior == "", note("geo.note.no_location"), note("geo.note.no_address")),
    )
    placed.reason[todo] = [f"{p}; {w}" if p else w for p, w in zip(prior, why, strict=True)]


def _output(df: pd.DataFrame, placed: _Placed, params: dict[str, object]) -> pd.DataFrame:
    """``df`` with :data:`OUTPUT_COLUMNS` and ``attrs["params"]`` (with the counts per kind)."""
    out = df.copy()
    out["lat"] = placed.lat
    out["lon"] = placed.lon
    out["x_5514"] = placed.x
    out["y_5514"] = placed.y
    out["match"] = pd.Series(
        pd.array(pc.take(pa.array(MATCH_KINDS, pa.string()), pa.array(placed.match)), dtype="str"),
        index=df.index,
    )
    out["score"] = np.round(placed.score, 1)
    adm = placed.adm
    out["ruian_adm"] = pd.arrays.IntegerArray(np.where(adm >= 0, adm, 0), mask=adm < 0)
    out["geocode_reason"] = pd.Series(
        pd.array(pa.array(placed.reason, pa.string()), dtype="str"), index=df.index
    )
    counts = np.bincount(placed.match, minlength=len(MATCH_KINDS)).tolist()
    out.attrs["params"] = {**params, "counts": dict(zip(MATCH_KINDS, counts, strict=True))}
    logger.info("geocoded %d rows: %s", len(df), out.attrs["params"]["counts"])
    return out


# ---------------------------------------------------------------------------------------------
# The cascade over distinct addresses


def _match_unique(
    parsed: pd.DataFrame,
    index: GazetteerIndex,
    *,
    min_score: float,
    on_missing_number: OnMissingNumber,
) -> _Results:
    """Match distinct parsed addresses; return per-query results."""
    q, place_note = _queries(parsed, index)
    has_number = ((q["house_no"] >= 0) | (q["orient_no"] >= 0) | (q["number"] >= 0)).to_numpy()
    blank = (q["street"] == "").to_numpy() & ~has_number
    _read_place_numbers(q, index, has_number=has_number)
    res = _Results.empty(len(q))
    exact_street = (q["sid"] >= 0).to_numpy()
    no_street_numbered = (q["street"] == "").to_numpy() & has_number
    done = _exact_stage(q, index, res, stage=exact_street | no_street_numbered)
    street_score, best_name = _fuzzy_stage(
        q, index, res, done, exact_street=exact_street, min_score=min_score
    )
    _street_centre_stage(
        q,
        index,
        res,
        done,
        has_number=has_number,
        numbered_too=on_missing_number == "street",
        street_score=street_score,
    )
    _explain_failures(
        q,
        index,
        res,
        done,
        blank=blank,
        has_number=has_number,
        best_name=best_name,
        street_score=street_score,
        min_score=min_score,
    )
    # Place notes (corrected or ignored place names) for everything not failed for another reason.
    for p in np.flatnonzero(place_note != ""):
        res.reason[p] = f"{res.reason[p]}; {place_note[p]}" if res.reason[p] else place_note[p]
    return res


def _queries(parsed: pd.DataFrame, index: GazetteerIndex) -> tuple[pd.DataFrame, np.ndarray]:
    """Parsed addresses with their lookup keys (street, place, letter codes); place notes."""
    q = parsed.reset_index(drop=True).copy()
    q["qid"] = np.arange(len(q))
    q["sid"] = index.street_keys.get_indexer(pd.Index(q["street"], dtype=object)).astype(np.int64)
    q.loc[q["street"] == "", "sid"] = -1
    q["place_id"], place_note = _resolve_places(q["place"], index)
    q["letter_code"] = _letter_codes(q["letter"].to_numpy(object))
    q["so_zero"] = np.int64(0)
    q["so_one"] = np.int64(1)
    q["zero"] = np.int64(0)
    return q, place_note


def _read_place_numbers(q: pd.DataFrame, index: GazetteerIndex, *, has_number: np.ndarray) -> None:
    """Read a "street" that is a place name plus a number as číslo popisné in that place.

    ``"Přívoz 12"``, and also a village name with a číslo evidenční (``"Lhotka č.ev. 15"``).
    """
    unknown = (
        ((q["sid"] < 0) | (q["kind"] == 1)).to_numpy() & (q["street"] != "").to_numpy() & has_number
    )
    if not unknown.any():
        return
    as_place = index.place_keys.get_indexer(
        pd.Index(_strip_obec(q.loc[unknown, "street"], index.obec_keys), dtype=object)
    )
    hit = np.flatnonzero(unknown)[as_place >= 0]
    if not len(hit):
        return
    q.loc[hit, "place_id"] = as_place[as_place >= 0]
    lone_hit = q.loc[hit, "number"].to_numpy() >= 0
    q.loc[hit[lone_hit], "house_no"] = q.loc[hit[lone_hit], "number"]
    q.loc[hit[lone_hit], "number"] = -1
    q.loc[hit, "kind"] = np.where(q.loc[hit, "kind"].to_numpy() == 1, 1, 0).astype(np.int8)
    q.loc[hit, "street"] = ""
    q.loc[hit, "sid"] = -1


def _exact_stage(
    q: pd.DataFrame, index: GazetteerIndex, res: _Results, *, stage: np.ndarray
) -> np.ndarray:
    """Stage 1: numbers on a known street, or č.p./č.ev. without a street; the resolved mask."""
    done = np.zeros(len(q), dtype=bool)
    if stage.any():
        pos = np.flatnonzero(stage)
        sub = q.loc[stage].reset_index(drop=True)
        sub_res = _Results.empty(len(sub))
        full_score = np.full(len(sub), 100.0)
        done[pos] = _match_numbers(sub, index, sub_res, fuzzy=False, street_score=full_score)
        _scatter(res, sub_res, pos)
    return done


def _fuzzy_stage(
    q: pd.DataFrame,
    index: GazetteerIndex,
    res: _Results,
    done: np.ndarray,
    *,
    exact_street: np.ndarray,
    min_score: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Stage 2: correct unknown street names, then match their numbers.

    Sets ``q["sid"]`` of corrected streets and ``done``; returns the street score per query
    (100 for a known street) and the closest street name of the unknown ones.
    """
    n = len(q)
    street_score = np.where(exact_street, 100.0, 0.0)
    best_name = np.full(n, "", dtype=object)
    need_fuzzy = ~exact_street & (q["street"] != "").to_numpy()
    if not need_fuzzy.any():
        return street_score, best_name
    idx = np.flatnonzero(need_fuzzy)
    fsid, fscore, fbest = _fuzzy_streets(q.iloc[idx], index, min_score=min_score)
    street_score[idx] = fscore
    best_name[idx] = fbest
    q.loc[idx, "sid"] = fsid
    good = idx[fsid >= 0]
    tie = idx[fsid == -2]
    res.reason[tie] = [note("geo.note.street_tie", street=s) for s in q["street"].iloc[tie]]
    res.explained[tie] = True
    q.loc[tie, "sid"] = -1
    if len(good):
        sub = q.iloc[good].reset_index(drop=True)
        sub_res = _Results.empty(len(sub))
        sub_done = _match_numbers(sub, index, sub_res, fuzzy=True, street_score=street_score[good])
        names = index.street_names
        fixed = [
            note("geo.note.street_corrected", street=s, best=names[int(i)], score=f"{sc:.0f}")
            for s, i, sc in zip(sub["street"], sub["sid"], street_score[good], strict=True)
        ]
        sub_res.reason = np.array(
            [f"{f}; {r}" if r else f for f, r in zip(fixed, sub_res.reason, strict=True)],
            dtype=object,
        )
        _scatter(res, sub_res, good)
        done[good] = sub_done
    return street_score, best_name


def _street_centre_stage(
    q: pd.DataFrame,
    index: GazetteerIndex,
    res: _Results,
    done: np.ndarray,
    *,
    has_number: np.ndarray,
    numbered_too: bool,
    street_score: np.ndarray,
) -> None:
    """Stage 3: a found street without a number (or with one it lacks, when ``numbered_too``)."""
    sid = q["sid"].to_numpy()
    idx = np.flatnonzero((sid >= 0) & ~done & (~has_number | numbered_too))
    if not len(idx):
        return
    multi = index.street_centre["n_obce"].to_numpy()[sid[idx]] > 1
    for p in idx[multi]:
        res.reason[p] = note("geo.note.street_municipalities", street=index.street_names[sid[p]])
        res.explained[p] = True
    ok = idx[~multi]
    res.street[ok] = sid[ok]
    res.match[ok] = _STREET
    res.score[ok] = street_score[ok]
    n_pts = index.street_centre["n_points"].to_numpy()
    for p in ok:
        name = index.street_names[sid[p]]
        key = (
            "geo.note.number_not_on_street_centre" if has_number[p] else "geo.note.no_number_centre"
        )
        why = note(key, street=name, n=int(n_pts[sid[p]]))
        res.reason[p] = f"{res.reason[p]}; {why}" if res.reason[p] else why
    done[ok] = True


def _explain_failures(
    q: pd.DataFrame,
    index: GazetteerIndex,
    res: _Results,
    done: np.ndarray,
    *,
    blank: np.ndarray,
    has_number: np.ndarray,
    best_name: np.ndarray,
    street_score: np.ndarray,
    min_score: float,
) -> None:
    """Stage 4: say why each query left unplaced (and not explained already) failed."""
    streets = q["street"].to_numpy(object)
    sids = q["sid"].to_numpy(np.int64)
    lone = q["number"].to_numpy(np.int64) >= 0
    for p in np.flatnonzero(~done & (res.match == _FAILED) & ~res.explained):
        why = _failure_reason(
            str(streets[p]),
            int(sids[p]),
            index,
            blank=bool(blank[p]),
            has_number=bool(has_number[p]),
            lone_number=bool(lone[p]),
            best_name=str(best_name[p]),
            street_score=float(street_score[p]),
            min_score=min_score,
        )
        res.reason[p] = f"{res.reason[p]}; {why}" if res.reason[p] else why


def _failure_reason(
    street: str,
    sid: int,
    index: GazetteerIndex,
    *,
    blank: bool,
    has_number: bool,
    lone_number: bool,
    best_name: str,
    street_score: float,
    min_score: float,
) -> str:
    """Why a query with this street key (``sid``: its street id, ``-1`` none) was not placed."""
    if blank:
        return note("geo.note.no_location")
    if sid >= 0 and has_number:
        return note("geo.note.number_not_on_street", street=index.street_names[sid])
    if street and sid < 0 and best_name:
        return note(
            "geo.note.street_not_found_closest", street=street, best=best_name,
            score=f"{street_score:.0f}", min_score=f"{min_score:g}",
        )  # fmt: skip
    if street and sid < 0:
        return note("geo.note.street_not_found", street=street)
    if not street and lone_number:
        return note("geo.note.lone_number")
    if not street and has_number:
        return note("geo.note.house_no_not_found")
    return note("geo.note.not_found")


def _scatter(res: _Results, sub: _Results, positions: np.ndarray) -> None:
    """Copy results of a subset of queries into ``res`` at ``positions``."""
    touched = (sub.match != _FAILED) | (sub.reason != "")
    pos = positions[touched]
    res.row[pos] = sub.row[touched]
    res.street[pos] = sub.street[touched]
    res.match[pos] = sub.match[touched]
    res.score[pos] = sub.score[touched]
    res.reason[pos] = sub.reason[touched]
    res.explained[pos] = sub.explained[touched]


# ---------------------------------------------------------------------------------------------
# Names: streets and places


def _fuzzy_streets(
    q: pd.DataFrame, index: GazetteerIndex, *, min_score: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Best street id and score for each query street not in the gazetteer (cached per name).

    The id is ``-1`` below ``min_score`` and ``-2`` for a tie between streets.
    """
    keys = q[["street", "place_id"]].drop_duplicates()
    street_parts = index.points.loc[index.points["sid"] >= 0, ["sid", "part_code"]]
    part_codes = street_parts["part_code"].to_numpy()
    street_ids = street_parts["sid"].to_numpy()
    choices_all = list(index.street_keys)
    results: dict[tuple[str, int], tuple[int, float, str]] = {}
    key_pids = keys["place_id"].to_numpy()
    for pid_value in np.unique(key_pids):
        pid = int(pid_value)
        if pid >= 0:
            allowed = np.unique(street_ids[np.isin(part_codes, index.place_parts[pid])])
        else:
            allowed = np.arange(len(choices_all))
        if len(allowed) == 0:
            continue
        names = keys.loc[key_pids == pid, "street"].tolist()
        best = _best_streets(names, [choices_all[i] for i in allowed], min_score=min_score)
        for name, (pos, s1, best_name) in zip(names, best, strict=True):
            shown = _street_name(index, best_name)  # as RÚIAN writes it, for the note
            results[(name, pid)] = (int(allowed[pos]) if pos >= 0 else pos, s1, shown)
    n = len(q)
    sid = np.full(n, -1, np.int64)
    score = np.zeros(n)
    best_any = np.full(n, "", dtype=object)
    for i, (name, pid) in enumerate(zip(q["street"], q["place_id"], strict=True)):
        got = results.get((name, int(pid)))
        if got is not None:
            sid[i], score[i], best_any[i] = got
    return sid, score, best_any


def _street_name(index: GazetteerIndex, key: str) -> str:
    """Return the display name of the street key ``key`` (``key`` itself if unknown)."""
    at = index.street_keys.get_indexer(pd.Index([key], dtype=object))[0]
    return index.street_names[at] if at >= 0 else key


def _best_streets(
    names: list[str], choices: list[str], *, min_score: float
) -> list[tuple[int, float, str]]:
    """Per name: position of the best choice, its score and its name.

    The position is ``-1`` below ``min_score`` and ``-2`` for a tie. Shortlist by plain ratio
    (fast, SIMD), then rank the shortlist by WRatio.
    """
    k = min(_FUZZY_SHORTLIST, len(choices))
    out: list[tuple[int, float, str]] = []
    for start in range(0, len(names), 2_000):
        chunk = names[start : start + 2_000]
        quick = process.cdist(chunk, choices, scorer=fuzz.ratio, workers=-1, dtype=np.uint8)
        shortlist = np.argpartition(-quick.astype(np.int16), k - 1, axis=1)[:, :k]
        for i, name in enumerate(chunk):
            cand = shortlist[i]
            wr = np.array([fuzz.WRatio(name, choices[c]) for c in cand])
            order = np.argsort(-wr)
            best = int(cand[order[0]])
            s1 = float(wr[order[0]])
            s2 = float(wr[order[1]]) if len(order) > 1 else -1.0
            if s1 >= min_score and s2 == s1:
                out.append((-2, s1, choices[best]))  # a tie: ambiguous
            elif s1 >= min_score:
                out.append((best, s1, choices[best]))
            else:
                out.append((-1, s1, choices[best]))
    return out


def _resolve_places(place: pd.Series, index: GazetteerIndex) -> tuple[np.ndarray, np.ndarray]:
    """Place key → place id (``-1`` when none or not recognised) and a note per query."""
    ids = np.full(len(place), -1, np.int64)
    notes = np.full(len(place), "", dtype=object)
    given = (place != "").to_numpy()
    if not given.any():
        return ids, notes
    codes, uniq_raw = pd.factorize(place.to_numpy(object)[given])
    uniq = _strip_obec(
        pd.Series(np.asarray(uniq_raw, dtype=object), dtype=object), index.obec_keys
    ).to_numpy(object)
    mapping: dict[str, tuple[int, str]] = {}
    keys = list(index.place_keys)
    for u in uniq:
        pos = index.place_keys.get_indexer(pd.Index([u], dtype=object))[0]
        if pos >= 0:
            mapping[u] = (int(pos), "")
            continue
        best = process.extractOne(u, keys, scorer=fuzz.WRatio, score_cutoff=PLACE_MIN_SCORE)
        if best is not None:
            shown = index.place_names[best[2]] if index.place_names else best[0]
            mapping[u] = (int(best[2]), note("geo.note.place_read_as", place=u, best=shown))
        else:
            mapping[u] = (-1, note("geo.note.place_ignored", place=u))
    ids[given] = np.array([mapping[u][0] for u in uniq], dtype=np.int64)[codes]
    notes[given] = np.array([mapping[u][1] for u in uniq], dtype=object)[codes]
    return ids, notes
