"""House-number lookups: joining parsed addresses to the gazetteer's address points.

:func:`_match_numbers` tries the number forms in a fixed order (:func:`_number_stages`:
č.p./č.o. together, č.p. or č.ev. alone, č.o. alone, a lone number as č.o. then as č.p., then
partial matches that ignore part of the number) and records the first hit of each query in a
:class:`_Results`; :func:`_lookup` is the key join, which settles several candidates by the place
given with the address or reports them as ambiguous. Used by the cascade in
:mod:`apk_geo.geocode.matching`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, NamedTuple

import numpy as np
import pandas as pd

from apk_geo._strings_geo import note
from apk_geo.geocode.gazetteer import GazetteerIndex

__all__ = ["MATCH_KINDS", "PARTIAL_NUMBER_SCORE"]

#: Values of the ``match`` column, from best to worst.
MATCH_KINDS: Final = ("exact", "fuzzy", "street", "coordinates", "failed")

# Result codes: positions in MATCH_KINDS.
_EXACT, _FUZZY, _STREET, _COORDINATES, _FAILED = 0, 1, 2, 3, 4

#: Score of a match that ignored part of the given number (letter, č.p./č.o. conflict).
PARTIAL_NUMBER_SCORE: Final = 90.0


@dataclass
class _Results:
    row: np.ndarray  # index into index.points, -1 none
    street: np.ndarray  # sid for street-centre results, -1 none
    match: np.ndarray  # int8 code
    score: np.ndarray  # float
    reason: np.ndarray  # object
    explained: np.ndarray  # bool: a failure whose reason is final (ambiguity)

    @classmethod
    def empty(cls, n: int) -> _Results:
        return cls(
            np.full(n, -1, np.int64),
            np.full(n, -1, np.int64),
            np.full(n, _FAILED, np.int8),
            np.zeros(n),
            np.full(n, "", dtype=object),
            np.zeros(n, dtype=bool),
        )


# ---------------------------------------------------------------------------------------------
# Numbers: joining queries to address points


class _Stage(NamedTuple):
    applies: np.ndarray  # bool per query
    qkeys: tuple[str, ...]  # query columns ...
    pkeys: tuple[str, ...]  # ... joined to these point columns
    score: float
    template: str  # key of the note of a hit (:mod:`apk_geo._strings_geo`), "" for none


def _number_stages(q: pd.DataFrame) -> list[_Stage]:
    """The number lookups in the order tried; the first hit of a query wins."""
    has_street = q["sid"].to_numpy() >= 0
    n2 = q["orient_no"].to_numpy() >= 0
    kind = q["kind"].to_numpy()
    lone = q["number"].to_numpy() >= 0
    letter = q["letter_code"].to_numpy()
    s_ho, s_o = ("sid", "house_no", "orient_no", "letter_code"), ("sid", "orient_no", "letter_code")
    p_ho, p_o = ("sid", "house_no", "orient_no", "letter"), ("sid", "orient_no", "letter")
    s_h0, s_h1, p_h = (
        ("sid", "house_no", "so_zero"),
        ("sid", "house_no", "so_one"),
        ("sid", "house_no", "so"),
    )
    return [
        _Stage(has_street & n2, s_ho, p_ho, 100.0, ""),
        _Stage(has_street & (kind == 0), s_h0, p_h, 100.0, ""),
        _Stage(has_street & (kind == 1), s_h1, p_h, 100.0, ""),
        _Stage(has_street & (kind == 2), s_o, p_o, 100.0, ""),
        _Stage(has_street & lone, ("sid", "number", "letter_code"), p_o, 100.0, ""),
        _Stage(
            has_street & lone & (letter == 0),
            ("sid", "number", "so_zero"),
            p_h,
            100.0,
            "geo.note.lone_as_house_no",
        ),
        _Stage(~has_street & (kind == 0), ("house_no", "so_zero"), ("house_no", "so"), 100.0, ""),
        _Stage(~has_street & (kind == 1), ("house_no", "so_one"), ("house_no", "so"), 100.0, ""),
        _Stage(
            ~has_street & n2 & (kind < 0),
            ("house_no", "orient_no"),
            ("house_no", "orient_no"),
            100.0,
            "",
        ),
        # Partial matches: part of the number ignored.
        _Stage(
            has_street & n2,
            s_o,
            p_o,
            PARTIAL_NUMBER_SCORE,
            "geo.note.partial_by_orient",
        ),
        _Stage(
            has_street & n2,
            s_h0,
            p_h,
            PARTIAL_NUMBER_SCORE,
            "geo.note.partial_by_house",
        ),
        _Stage(
            has_street & lone & (letter > 0),
            ("sid", "number", "zero"),
            p_o,
            PARTIAL_NUMBER_SCORE,
            "geo.note.letter_ignored",
        ),
    ]


def _match_numbers(
    q: pd.DataFrame, index: GazetteerIndex, res: _Results, *, fuzzy: bool, street_score: np.ndarray
) -> np.ndarray:
    """Run the number stages for queries with a known street (or none); return resolved mask."""
    done = np.zeros(len(q), dtype=bool)
    qpos = pd.Series(np.arange(len(q)), index=q["qid"].to_numpy())
    for stage in _number_stages(q):
        todo = stage.applies & ~done
        if not todo.any():
            continue
        found = _lookup(q.loc[todo], index, qkeys=stage.qkeys, pkeys=stage.pkeys)
        if found.empty:
            continue
        pos = qpos.loc[found["qid"].to_numpy()].to_numpy()
        done[pos] = True
        _record_hits(q, index, res, found, pos, stage, fuzzy=fuzzy, street_score=street_score)
        _record_ambiguous(q, res, found, pos)
    return done


def _record_hits(
    q: pd.DataFrame,
    index: GazetteerIndex,
    res: _Results,
    found: pd.DataFrame,
    pos: np.ndarray,
    stage: _Stage,
    *,
    fuzzy: bool,
    street_score: np.ndarray,
) -> None:
    """Write the queries resolved to one address point by ``stage``."""
    rows = found["row"].to_numpy()
    is_amb = rows < 0
    hit = pos[~is_amb]
    res.row[hit] = rows[~is_amb]
    partial = stage.score < 100.0
    res.match[hit] = _FUZZY if (fuzzy or partial) else _EXACT
    res.score[hit] = np.minimum(stage.score, street_score[hit])
    if stage.template:
        sub_rows = q.iloc[hit]
        res.reason[hit] = [
            note(stage.template, house_no=h, orient_no=o, letter=le)
            for h, o, le in zip(
                sub_rows["house_no"], sub_rows["orient_no"], sub_rows["letter"], strict=True
            )
        ]
    mism = found["place_mismatch"].to_numpy(bool) & ~is_amb
    if mism.any():
        parts = index.points["part"].to_numpy(object)
        for p, r in zip(pos[mism], rows[mism], strict=True):
            why = note("geo.note.place_mismatch", place=q["place"].iat[p], part=parts[r])
            res.reason[p] = f"{res.reason[p]}; {why}" if res.reason[p] else why


def _record_ambiguous(q: pd.DataFrame, res: _Results, found: pd.DataFrame, pos: np.ndarray) -> None:
    """Fail the queries that match several address points, naming where they are."""
    is_amb = found["row"].to_numpy() < 0
    amb_pos = pos[is_amb]
    res.match[amb_pos] = _FAILED
    res.score[amb_pos] = 0.0
    res.explained[amb_pos] = True
    places = q["place"].to_numpy(object)[amb_pos]
    res.reason[amb_pos] = [
        note("geo.note.ambiguous_in_place", place=place, names=note("geo.note.points_in", **amb))
        if place
        else note(
            "geo.note.ambiguous",
            names=note("geo.note.points_in", **amb),
            example=amb["listed"].split(", ")[0],
        )
        for amb, place in zip(found["ambiguous"].to_numpy(object)[is_amb], places, strict=True)
    ]


def _place_allowed(
    place_id: np.ndarray, part_code: np.ndarray, index: GazetteerIndex
) -> np.ndarray:
    """True where ``part_code`` lies in the place ``place_id`` (``-1``: no place → False)."""
    out = np.zeros(len(place_id), dtype=bool)
    for pid in np.unique(place_id[place_id >= 0]):
        sel = place_id == pid
        out[sel] = np.isin(part_code[sel], index.place_parts[int(pid)])
    return out


def _lookup(
    q: pd.DataFrame,
    index: GazetteerIndex,
    *,
    qkeys: Sequence[str],
    pkeys: Sequence[str],
) -> pd.DataFrame:
    """Join queries to address points on keys; resolve several candidates by place.

    Returns one row per resolved query: ``qid``, ``row`` (point position), ``place_mismatch``;
    and, for queries with several candidates left, ``row == -1`` and ``ambiguous`` parts.
    """
    pts = index.points
    right = pd.DataFrame({f"_k{i}": pts[k].to_numpy() for i, k in enumerate(pkeys)})
    right["row"] = pts.index.to_numpy()
    left = pd.DataFrame({f"_k{i}": q[k].to_numpy() for i, k in enumerate(qkeys)})
    left["qid"] = q["qid"].to_numpy()
    left["place_id"] = q["place_id"].to_numpy()
    m = left.merge(right, on=[f"_k{i}" for i in range(len(pkeys))], how="inner")
    if m.empty:
        return pd.DataFrame(
            {
                "qid": np.array([], np.int64),
                "row": np.array([], np.int64),
                "place_mismatch": np.array([], bool),
                "ambiguous": [],
            }
        )
    part = index.points["part_code"].to_numpy()[m["row"].to_numpy()]
    pid = m["place_id"].to_numpy()
    m["place_ok"] = _place_allowed(pid, part, index)
    m["has_place"] = pid >= 0
    dup = m["qid"].duplicated(keep=False).to_numpy()
    single = m.loc[~dup, ["qid", "row"]].copy()
    single["place_mismatch"] = (m["has_place"] & ~m["place_ok"]).to_numpy()[~dup]
    single["ambiguous"] = ""
    multi = m.loc[dup]
    if multi.empty:
        return single
    resolved, amb = _resolve_candidates(multi, index)
    frames = [f for f in (single, resolved, amb) if not f.empty]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _resolve_candidates(
    multi: pd.DataFrame, index: GazetteerIndex
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Several candidates: keep those in the given place; decide if exactly one remains."""
    any_ok = multi.groupby("qid")["place_ok"].transform("any")
    keep = multi.loc[multi["place_ok"] | ~any_ok]
    counts = keep.groupby("qid")["row"].transform("size")
    resolved = keep.loc[counts == 1, ["qid", "row"]].copy()
    resolved["place_mismatch"] = False
    resolved["ambiguous"] = ""
    still = keep.loc[counts > 1]
    parts = index.points["part"].to_numpy(object)
    amb_rows = []
    for qid, grp in still.groupby("qid"):
        names = sorted({str(parts[r]) for r in grp["row"]})
        listed = ", ".join(names[:4]) + (" …" if len(names) > 4 else "")
        amb_rows.append((qid, -1, False, {"count": len(grp), "listed": listed}))
    amb = pd.DataFrame(amb_rows, columns=["qid", "row", "place_mismatch", "ambiguous"])
    return resolved, amb
