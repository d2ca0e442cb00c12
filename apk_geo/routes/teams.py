"""Teams of assistants: who starts where, on which days and hours, on foot or by car.

A mentor writes the teams once, as a CSV or a TOML file, and the planner reads it for one shift
(:meth:`TeamRoster.on`) or for a whole week (:func:`parse_week`, :func:`week_shifts`). CSV columns
(Czech or English headers; ``;`` or ``,`` separated)::

    name;start;end;mode;days;shift
    Dvojice A;30. dubna 635/35;;pěšky;po-pá;08:00-14:00
    Dvojice B;49.8353,18.2920;;autem;po,st,pá;14:00-20:00

TOML: one ``[[team]]`` table per team with the same keys; ``shifts = ["po 08:00-14:00",
"so 10:00-16:00"]`` lists shifts with different hours per day. ``start`` and ``end`` are an
address (geocoded against the store's address points) or ``LAT,LON``; ``end`` empty means back to
the start; ``mode`` is ``foot``/``pěšky`` or ``car``/``autem``; ``days`` takes Czech or English
day names, lists and ranges (``po-pá``, ``mon,wed,fri``, ``denně``); ``shift`` is ``HH:MM-HH:MM``
(past midnight for a night shift). Optional: ``speed_kmh``, ``max_stops``, ``colour``.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

import pandas as pd

from apk_geo.context import PlaceLayers
from apk_geo.errors import GeocodingError, ParameterError
from apk_geo.routes import _messages as msg
from apk_geo.routes.model import Mode, Team, team_colour
from apk_geo.routes.places import describe_point, resolve_point
from apk_geo.schema import TIMEZONE

__all__ = [
    "ShiftTime",
    "TeamRoster",
    "make_teams",
    "parse_days",
    "parse_shift",
    "parse_week",
    "read_teams",
    "rosters_for_week",
    "shift_times",
    "week_choices",
    "week_shifts",
]

#: Day names by their first two letters without diacritics (Czech, then English).
_DAYS: Final[Mapping[str, int]] = {
    "po": 0,
    "ut": 1,
    "st": 2,
    "ct": 3,
    "pa": 4,
    "so": 5,
    "ne": 6,
    "mo": 0,
    "tu": 1,
    "we": 2,
    "th": 3,
    "fr": 4,
    "sa": 5,
    "su": 6,
}
_EVERY_DAY: Final = frozenset({"denne", "daily", "all", "*", "vse", "kazdy den", "every day"})
_MODES: Final[Mapping[str, Mode]] = {
    "foot": "foot",
    "pesky": "foot",
    "pesi": "foot",
    "pes": "foot",
    "walk": "foot",
    "car": "car",
    "autem": "car",
    "auto": "car",
    "vuz": "car",
}
#: Header aliases of a teams file (folded, without diacritics) → field.
_FIELDS: Final[Mapping[str, str]] = {
    "name": "name",
    "nazev": "name",
    "jmeno": "name",
    "tym": "name",
    "dvojice": "name",
    "start": "start",
    "zacatek": "start",
    "vychozi bod": "start",
    "end": "end",
    "cil": "end",
    "konec": "end",
    "mode": "mode",
    "pohyb": "mode",
    "doprava": "mode",
    "days": "days",
    "dny": "days",
    "shift": "shift",
    "smena": "shift",
    "hours": "shift",
    "hodiny": "shift",
    "shifts": "shifts",
    "smeny": "shifts",
    "speed_kmh": "speed_kmh",
    "rychlost": "speed_kmh",
    "speed": "speed_kmh",
    "max_stops": "max_stops",
    "zastavek": "max_stops",
    "colour": "colour",
    "color": "colour",
    "barva": "colour",
}
_SHIFT = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})\s*$")
_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class ShiftTime:
    """A shift on a weekday: ``weekday`` 0 = Monday, ``start`` ``"HH:MM"``, length in minutes."""

    weekday: int
    start: str
    minutes: float


@dataclass(frozen=True)
class TeamRoster:
    """A team as a teams file describes it: its places, its way of moving and its shifts.

    Attributes
    ----------
    name, start, end, mode, speed_kmh, start_name, end_name, colour, max_stops
        As in :class:`~apk_geo.routes.model.Team`.
    shifts
        The team's shifts in a week; empty when the file gives no hours (the command line's
        shift then applies).
    """

    name: str
    start: tuple[float, float] | None
    end: tuple[float, float] | None = None
    mode: Mode = "foot"
    speed_kmh: float | None = None
    start_name: str = ""
    end_name: str = ""
    colour: str = ""
    max_stops: int | None = None
    shifts: tuple[ShiftTime, ...] = ()

    def on(
        self,
        day: dt.date,
        *,
        shift_start: str | None = None,
        shift_minutes: float | None = None,
    ) -> list[Team]:
        """Return the team's shifts on ``day`` as :class:`Team` s (none when it is off).

        ``shift_start`` (``"HH:MM"``) and ``shift_minutes`` apply when the roster has no hours;
        a roster without hours works every day.

        Raises
        ------
        ParameterError
            If the roster has no hours and none are given, or it has no start point.
        """
        if self.start is None:
            raise ParameterError(msg.no_start(self.name))
        if self.shifts:
            times = [(s.start, s.minutes) for s in self.shifts if s.weekday == day.weekday()]
        elif shift_start is not None and shift_minutes is not None:
            times = [(shift_start, float(shift_minutes))]
        else:
            raise ParameterError(msg.no_hours(self.name))
        return [
            Team(
                name=self.name,
                start=self.start,
                end=self.end,
                shift_start=pd.Timestamp(f"{day.isoformat()}T{hhmm}").tz_localize(TIMEZONE),
                shift_minutes=minutes,
                mode=self.mode,
                speed_kmh=self.speed_kmh,
                start_name=self.start_name,
                end_name=self.end_name,
                colour=self.colour,
                max_stops=self.max_stops,
            )
            for hhmm, minutes in times
        ]


def _fold(text: object) -> str:
    """Return ``text`` lower-cased, without diacritics and surrounding spaces."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return " ".join(plain.lower().split())


# --------------------------------------------------------------------------------------------
# Days, shifts and weeks
# --------------------------------------------------------------------------------------------
def parse_days(text: str) -> tuple[int, ...]:
    """Return the weekdays (0 = Monday) of ``"po-pá"``, ``"mon,wed,fri"``, ``"denně"``.

    Raises
    ------
    ParameterError
        If a day name is unknown.

    Examples
    --------
    >>> parse_days("po-st, pá"), parse_days("denně")
    ((0, 1, 2, 4), (0, 1, 2, 3, 4, 5, 6))
    """
    folded = _fold(text)
    if not folded or folded in _EVERY_DAY:
        return tuple(range(7))
    days: set[int] = set()
    for token in re.split(r"[,;\s]+", folded):
        if not token:
            continue
        ends = [_day(part, text) for part in token.split("-")]
        if len(ends) == 1:
            days.add(ends[0])
        elif len(ends) == 2:
            first, last = ends
            days.update((first + i) % 7 for i in range((last - first) % 7 + 1))
        else:
            raise ParameterError(msg.days_token(text, token))
    return tuple(sorted(days))


def _day(word: str, text: str) -> int:
    """Return the weekday of a day name (its first two letters decide)."""
    key = word.strip()[:2]
    if key not in _DAYS:
        raise ParameterError(msg.day_name(text, word))
    return _DAYS[key]


def parse_shift(text: str) -> tuple[str, float]:
    """Return ``("HH:MM", minutes)`` of ``"08:00-14:00"`` (an end before the start: next day).

    Raises
    ------
    ParameterError
        If ``text`` is not ``HH:MM-HH:MM``.

    Examples
    --------
    >>> parse_shift("08:00-14:00"), parse_shift("22:00-06:00")
    (('08:00', 360.0), ('22:00', 480.0))
    """
    m = _SHIFT.match(str(text))
    if m is None:
        raise ParameterError(msg.shift_format(text))
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if not (h1 < 24 and h2 <= 24 and m1 < 60 and m2 < 60):
        raise ParameterError(msg.shift_range(text))
    start, end = h1 * 60 + m1, h2 * 60 + m2
    minutes = (end - start) % (24 * 60) or 24 * 60
    return f"{h1:02d}:{m1:02d}", float(minutes)


def parse_week(text: str) -> pd.Timestamp:
    """Return Monday 00:00 (Europe/Prague) of the ISO week ``"2026-W48"``.

    Raises
    ------
    ParameterError
        If ``text`` is not ``YYYY-Www`` or the week does not exist.

    Examples
    --------
    >>> parse_week("2026-W48")
    Timestamp('2026-11-23 00:00:00+0100', tz='Europe/Prague')
    """
    m = _WEEK.match(str(text))
    if m is None:
        raise ParameterError(msg.week_format(text))
    year = int(m.group(1))
    try:
        monday = dt.date.fromisocalendar(year, int(m.group(2)), 1)
    except ValueError as exc:
        weeks = dt.date(year, 12, 28).isocalendar().week if year >= dt.MINYEAR else 0
        raise ParameterError(msg.week_missing(text, year=year, weeks=weeks)) from exc
    return pd.Timestamp(monday).tz_localize(TIMEZONE)


def week_shifts(rosters: Sequence[TeamRoster], *, week: str) -> list[Team]:
    """Return every team's shifts in the ISO ``week``, ordered by start, then by team.

    Raises
    ------
    ParameterError
        If a roster has no hours (a week needs them) or the week is malformed.
    """
    monday = parse_week(week)
    for roster in rosters:
        if not roster.shifts:
            raise ParameterError(msg.week_no_hours(roster.name))
    out = []
    for i in range(7):
        day = (monday + pd.Timedelta(days=i)).date()
        for roster in rosters:
            out.extend(roster.on(day))
    order = {r.name: k for k, r in enumerate(rosters)}
    return sorted(out, key=lambda t: (pd.Timestamp(t.shift_start), order[t.name]))


# --------------------------------------------------------------------------------------------
# Reading and making teams
# --------------------------------------------------------------------------------------------
def make_teams(
    n: int,
    *,
    start: tuple[float, float],
    end: tuple[float, float] | None = None,
    mode: Mode = "foot",
    speed_kmh: float | None = None,
    start_name: str = "",
    end_name: str = "",
    name: str = "Dvojice {n}",
    shifts: Sequence[ShiftTime] = (),
) -> list[TeamRoster]:
    """Return ``n`` teams that start and end at the same places (``--teams N``).

    ``shifts`` (e.g. :func:`shift_times` ``("po-pá", "08:00-14:00")``) gives every team the
    same hours in a week, as a week plan needs; empty: the hours come with each shift.

    Raises
    ------
    ParameterError
        If ``n`` is not a whole number >= 1.
    """
    if int(n) != n or n < 1:
        raise ParameterError(msg.count(n))
    return [
        TeamRoster(
            name=name.format(n=i + 1),
            start=start,
            end=end,
            mode=mode,
            speed_kmh=speed_kmh,
            start_name=start_name,
            end_name=end_name,
            colour=team_colour(i),
            shifts=tuple(shifts),
        )
        for i in range(int(n))
    ]


def shift_times(days: str, shift: str) -> tuple[ShiftTime, ...]:
    """Return the shifts ``shift`` (``"08:00-14:00"``) on ``days`` (``"po-pá"``; empty: daily).

    Raises
    ------
    ParameterError
        If the days or the hours cannot be read.

    Examples
    --------
    >>> [(s.weekday, s.start, s.minutes) for s in shift_times("po,st", "08:00-14:00")]
    [(0, '08:00', 360.0), (2, '08:00', 360.0)]
    """
    hhmm, minutes = parse_shift(shift)
    return tuple(ShiftTime(d, hhmm, minutes) for d in parse_days(days))


def week_choices(last_day: dt.date, *, before: int = 8, after: int = 4) -> tuple[list[str], str]:
    """Return ISO weeks to plan around the last day with data, and the one to offer first.

    The first offered is the week of the day after ``last_day`` (the week the data end in or
    the next one: the first to plan, its forecast resting on the incidents before its Monday);
    ``before`` weeks earlier and ``after`` weeks later are listed too, in time order
    (``"2026-W49"``).

    Examples
    --------
    >>> weeks, first = week_choices(dt.date(2026, 11, 30), before=1, after=1)
    >>> weeks, first
    (['2026-W48', '2026-W49', '2026-W50'], '2026-W49')
    """
    following = last_day + dt.timedelta(days=1)
    monday = following - dt.timedelta(days=following.weekday())
    weeks = [monday + dt.timedelta(weeks=k) for k in range(-before, after + 1)]
    labels = [f"{d.isocalendar().year}-W{d.isocalendar().week:02d}" for d in weeks]
    return labels, labels[before]


def read_teams(
    path: str | Path,
    *,
    gazetteer: pd.DataFrame | None = None,
    context: PlaceLayers | None = None,
) -> list[TeamRoster]:
    """Read a teams file (CSV or TOML, see the module's description).

    Parameters
    ----------
    path
        ``.csv`` or ``.toml``.
    gazetteer
        Address points for starts and ends given as addresses, and to name coordinates.
    context
        Context layers to name a start given as coordinates by a landmark.

    Returns
    -------
    list of TeamRoster
        In the file's order; colours from :func:`~apk_geo.routes.model.team_colour` unless
        given.

    Raises
    ------
    InputFileError
        If the file is missing, unreadable, empty, or a row is invalid (the row is named).
    """
    p = Path(path)
    if not p.exists():
        raise msg.file_error(msg.not_found(), path=p)
    rows = _toml_rows(p) if p.suffix.lower() == ".toml" else _csv_rows(p)
    if not rows:
        raise msg.file_error(msg.no_team(), path=p)
    is_csv = p.suffix.lower() != ".toml"
    out = []
    for i, raw in enumerate(rows):
        try:
            out.append(_roster(raw, index=i, gazetteer=gazetteer, context=context))
        except (ParameterError, GeocodingError) as exc:
            reason = exc.args[0] if len(exc.args) == 1 else str(exc)
            row = msg.row(i + 1, reason, csv_row=i + 2 if is_csv else None)
            raise msg.file_error(row, path=p) from exc
    names = [r.name for r in out]
    if len(set(names)) != len(names):
        raise msg.file_error(msg.duplicate_names(names), path=p)
    return out


def _toml_rows(p: Path) -> list[dict[str, Any]]:
    """Return the ``[[team]]`` tables of a TOML teams file."""
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise msg.file_error(msg.unreadable(exc), path=p) from exc
    teams = data.get("team", data.get("teams", []))
    if not isinstance(teams, list) or not all(isinstance(t, dict) for t in teams):
        raise msg.file_error(msg.no_tables(), path=p)
    return [{_FIELDS.get(_fold(k), _fold(k)): v for k, v in t.items()} for t in teams]


def _csv_rows(p: Path) -> list[dict[str, Any]]:
    """Return the rows of a CSV teams file, keyed by field."""
    from apk_geo.io import read_csv

    frame = read_csv(p)
    fields = {str(c): _FIELDS.get(_fold(c), _fold(c)) for c in frame.columns}
    frame = frame.rename(columns=fields)
    return [
        {str(k): v for k, v in row.items() if str(v).strip()} for row in frame.to_dict("records")
    ]


def _roster(
    raw: Mapping[str, Any],
    *,
    index: int,
    gazetteer: pd.DataFrame | None,
    context: PlaceLayers | None,
) -> TeamRoster:
    """Return one team of a teams file."""
    name = str(raw.get("name") or f"Dvojice {index + 1}").strip()
    start, start_name = _place(raw.get("start"), gazetteer=gazetteer, context=context)
    end, end_name = _place(raw.get("end"), gazetteer=gazetteer, context=context)
    mode_text = _fold(raw.get("mode", "foot"))
    if mode_text not in _MODES:
        raise ParameterError(msg.mode(raw.get("mode")))
    return TeamRoster(
        name=name,
        start=start,
        end=end,
        mode=_MODES[mode_text],
        speed_kmh=_number(raw.get("speed_kmh"), "speed_kmh"),
        start_name=start_name,
        end_name=end_name,
        colour=_colour(raw.get("colour"), index),
        max_stops=_whole(raw.get("max_stops")),
        shifts=_shifts(raw),
    )


def _place(
    text: object, *, gazetteer: pd.DataFrame | None, context: PlaceLayers | None
) -> tuple[tuple[float, float] | None, str]:
    """Return ``(lat, lon)`` and the printed name of a start or end (``None`` when empty)."""
    if text is None or not str(text).strip():
        return None, ""
    where = str(text).strip()
    lat, lon = resolve_point(where, gazetteer=gazetteer)
    if re.match(r"^\s*-?\d+(?:\.\d+)?\s*[,;]\s*-?\d+(?:\.\d+)?\s*$", where):
        return (lat, lon), describe_point(lat, lon, addresses=gazetteer, context=context)
    return (lat, lon), where


def _shifts(raw: Mapping[str, Any]) -> tuple[ShiftTime, ...]:
    """Return the shifts of a row: ``shifts = ["po 08:00-14:00", ...]`` or ``days`` × ``shift``."""
    listed = raw.get("shifts")
    if listed:
        items = listed if isinstance(listed, list) else str(listed).split(";")
        out = []
        for item in items:
            days, _, hours = str(item).strip().rpartition(" ")
            hhmm, minutes = parse_shift(hours)
            out += [ShiftTime(d, hhmm, minutes) for d in parse_days(days)]
        return tuple(sorted(out, key=lambda s: (s.weekday, s.start)))
    if raw.get("shift"):
        hhmm, minutes = parse_shift(str(raw["shift"]))
        return tuple(ShiftTime(d, hhmm, minutes) for d in parse_days(str(raw.get("days", ""))))
    return ()


def _colour(value: object, index: int) -> str:
    """Return a team's colour: ``#RRGGBB`` as given, else the palette's for its position."""
    if value is None or not str(value).strip():
        return team_colour(index)
    text = str(value).strip()
    if not re.match(r"^#[0-9A-Fa-f]{6}$", text):
        raise ParameterError(msg.colour(value))
    return text


def _number(value: object, name: str) -> float | None:
    """Return an optional positive number (decimal comma allowed)."""
    if value is None or not str(value).strip():
        return None
    try:
        number = float(str(value).replace(",", "."))
    except ValueError as exc:
        raise ParameterError(msg.not_number(name, value)) from exc
    if not number > 0:
        raise ParameterError(msg.not_positive(name, value))
    return number


def _whole(value: object) -> int | None:
    """Return an optional whole number >= 1 (``max_stops``)."""
    number = _number(value, "max_stops")
    if number is None:
        return None
    if int(number) != number:
        raise ParameterError(msg.not_whole(value))
    return int(number)


def with_start(roster: TeamRoster, *, start: tuple[float, float], start_name: str) -> TeamRoster:
    """Return ``roster`` with a start point (for a teams file without one)."""
    return replace(roster, start=start, start_name=start_name)


def rosters_for_week(
    *,
    start: tuple[float, float],
    start_name: str = "",
    days: str = "po-pá",
    shift: str = "08:00-14:00",
    n: int = 2,
    name: str = "Dvojice {n}",
    teams_file: str | Path | None = None,
    gazetteer: pd.DataFrame | None = None,
    context: PlaceLayers | None = None,
) -> list[TeamRoster]:
    """Return the teams of a week plan: ``n`` alike teams, or the teams of a teams file.

    What the dashboard's week form gives: without ``teams_file``, ``n`` teams starting at
    ``start`` working ``shift`` on ``days`` (:func:`make_teams`); with it, the file's teams
    (:func:`read_teams`), where a team without a start starts at ``start`` and a team without
    hours works ``shift`` on ``days``.

    Raises
    ------
    ParameterError
        If ``n``, ``days`` or ``shift`` cannot be read.
    InputFileError
        If the teams file is missing or invalid (the row is named).
    """
    hours = shift_times(days, shift)
    if teams_file is None:
        return make_teams(n, start=start, start_name=start_name, name=name, shifts=hours)
    rosters = read_teams(teams_file, gazetteer=gazetteer, context=context)
    return [
        replace(
            r,
            start=r.start if r.start is not None else start,
            start_name=r.start_name if r.start is not None else start_name,
            shifts=r.shifts or hours,
        )
        for r in rosters
    ]
