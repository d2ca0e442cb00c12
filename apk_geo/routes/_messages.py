"""The errors of teams, shifts and weeks, in Czech or English: texts that know their catalogue key.

A teams file is written by hand, so its errors name the file, the team (and the CSV row), the
field and what was expected. They are :class:`~apk_geo.messages.Message` s: ``str(exc)``
is the English text (as ``match=`` in tests and logs read it), while the command line and the
dashboard show it in the user's language (:func:`error_text`). The texts are the
``route.teams.`` strings of :mod:`apk_geo._strings_routes`.

Examples
--------
>>> m = shift_format("8 to 14")
>>> str(m)
"shift '8 to 14' is not HH:MM-HH:MM (e.g. 08:00-14:00)"
>>> m.text("cs")
"směna '8 to 14' není ve tvaru HH:MM-HH:MM (např. 08:00-14:00)"
"""

from __future__ import annotations

from collections.abc import Sequence

from apk_geo.messages import Message, error_text, file_error
from apk_geo.notes import Note

__all__ = [
    "Message",
    "address_not_found",
    "colour",
    "count",
    "day_name",
    "days_token",
    "duplicate_names",
    "error_text",
    "file_error",
    "mode",
    "must_visit",
    "must_visit_format",
    "must_visit_window",
    "no_hours",
    "no_start",
    "no_tables",
    "no_team",
    "not_found",
    "not_number",
    "not_positive",
    "not_whole",
    "point_needs_gazetteer",
    "point_not_degrees",
    "row",
    "shift_format",
    "shift_range",
    "unreadable",
    "week_format",
    "week_missing",
    "week_no_hours",
]


def no_start(name: str) -> Message:
    """A team without a start point."""
    return Message("route.teams.no_start", name=repr(name))


def no_hours(name: str) -> Message:
    """A team without shift hours, none given on the command line either."""
    return Message("route.teams.no_hours", name=repr(name))


def week_no_hours(name: str) -> Message:
    """A team without shift hours in a week plan."""
    return Message("route.teams.week_no_hours", name=repr(name))


def days_token(text: str, token: str) -> Message:
    """Days whose part is neither a day nor a range."""
    return Message("route.teams.days_token", text=repr(text), token=repr(token))


def day_name(text: str, word: str) -> Message:
    """Days with an unknown day name."""
    return Message("route.teams.day_name", text=repr(text), word=repr(word))


def shift_format(text: object) -> Message:
    """Shift hours that are not ``HH:MM-HH:MM``."""
    return Message("route.teams.shift_format", text=repr(text))


def shift_range(text: object) -> Message:
    """Shift hours out of 00–24 or minutes out of 00–59."""
    return Message("route.teams.shift_range", text=repr(text))


def week_format(text: object) -> Message:
    """A week that is not ``YYYY-Www``."""
    return Message("route.teams.week_format", text=repr(text))


def week_missing(text: object, *, year: int, weeks: int) -> Message:
    """A week number the year does not have (it has ``weeks`` ISO weeks)."""
    return Message("route.teams.week_missing", text=repr(text), year=str(year), weeks=weeks)


def count(n: object) -> Message:
    """A number of teams that is not a whole number >= 1."""
    return Message("route.teams.count", n=repr(n))


def not_found() -> Message:
    """A teams file that does not exist."""
    return Message("route.teams.not_found")


def no_team() -> Message:
    """A teams file without a team."""
    return Message("route.teams.empty")


def unreadable(reason: object) -> Message:
    """A TOML teams file that cannot be read (the parser's reason)."""
    return Message("route.teams.unreadable", reason=str(reason))


def no_tables() -> Message:
    """A TOML teams file without ``[[team]]`` tables."""
    return Message("route.teams.no_tables")


def row(n: int, reason: object, *, csv_row: int | None) -> Message:
    """The error of team ``n`` of a file (its CSV row, if any): ``reason``, a text or Message."""
    if csv_row is None:
        return Message("route.teams.team", n=str(n), reason=reason)
    return Message("route.teams.team_row", n=str(n), reason=reason, row=str(csv_row))


def duplicate_names(names: Sequence[str]) -> Message:
    """Teams of a file with the same name."""
    return Message("route.teams.duplicate", names=list(names))


def mode(value: object) -> Message:
    """A mode that is neither on foot nor by car."""
    return Message("route.teams.mode", value=repr(value))


def colour(value: object) -> Message:
    """A colour that is not ``#RRGGBB``."""
    return Message("route.teams.colour", value=repr(value))


def not_number(field: str, value: object) -> Message:
    """A field (``speed_kmh``, ``max_stops``) that is not a number."""
    return Message(f"route.teams.{field}_number", value=repr(value))


def not_positive(field: str, value: object) -> Message:
    """A field (``speed_kmh``, ``max_stops``) that is not > 0."""
    return Message(f"route.teams.{field}_positive", value=repr(value))


def not_whole(value: object) -> Message:
    """A ``max_stops`` that is not a whole number."""
    return Message("route.teams.max_stops_whole", value=repr(value))


# -------------------------------------------------------------- points and must-visit places


def point_not_degrees(text: object) -> Message:
    """Coordinates out of the range of degrees."""
    return Message("route.point.not_degrees", text=repr(text))


def point_needs_gazetteer(text: object) -> Message:
    """Text that is not ``LAT,LON`` where no address points are there to find an address."""
    return Message("route.point.needs_gazetteer", text=repr(text))


def address_not_found(text: object, reason: object) -> Message:
    """An address the gazetteer does not hold (the geocoder's reason, in the reader's language)."""
    return Message("route.point.not_found", text=repr(text), reason=Note(str(reason)))


def must_visit_format(spec: object) -> Message:
    """A must-visit place that is not ``NAME | LAT,LON or address | HH:MM-HH:MM``."""
    return Message("route.point.must_visit_format", spec=repr(spec))


def must_visit_window(spec: object, window: object) -> Message:
    """A must-visit place whose time window is not ``HH:MM-HH:MM``."""
    return Message("route.point.must_visit_window", spec=repr(spec), window=repr(window))


def must_visit(spec: object, reason: object) -> Message:
    """A must-visit place whose point cannot be found (``reason``: that error's message)."""
    return Message("route.point.must_visit", spec=repr(spec), reason=reason)
