"""What a pack's presenter view shows: the decisions of disclosure control, as data.

:class:`View` is set on every presenter pack by :func:`apk_geo.reports.disclosure.protect`
(primary suppression, pooling, then the coarsening the audit asked for); :mod:`~.tables`
formats a pack through it and never decides anything itself. The internal tier's view shows
everything.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Final

__all__ = ["ALL_COLUMNS", "SHOW_ALL", "View"]

#: The entry of :attr:`View.dropped` that withholds a whole table.
ALL_COLUMNS: Final = "*"


def _frozen(value: Mapping[str, object] | None) -> Mapping[str, object]:
    return MappingProxyType(dict(value or {}))


@dataclass(frozen=True)
class View:
    """The disclosure decisions of one pack.

    Attributes
    ----------
    few
        Too few incidents to show details: the key figures only (no tables, no hot cells, no
        Gi* classes on the map, no named places).
    pooled
        Table name → index labels of the rows merged into the pooled row "ostatní (malé
        počty)".
    dropped
        Table name → count columns not shown (with the change derived from them);
        :data:`ALL_COLUMNS` withholds the table.
    steps
        The coarsening steps the audit asked for, in order (for the record).
    audited
        Whether the attacker (:func:`apk_geo.privacy.attack`) passed this view.
    """

    few: bool = False
    pooled: Mapping[str, tuple[Hashable, ...]] = field(default_factory=dict)
    dropped: Mapping[str, frozenset[str]] = field(default_factory=dict)
    steps: tuple[str, ...] = ()
    audited: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "pooled", _frozen(self.pooled))
        object.__setattr__(self, "dropped", _frozen(self.dropped))

    def pooled_rows(self, table: str) -> tuple[Hashable, ...]:
        """Index labels of ``table``'s rows shown pooled (empty: none)."""
        return tuple(self.pooled.get(table, ()))

    def shows(self, table: str, column: str | None = None) -> bool:
        """Whether ``table`` is shown, or (``column`` given) whether its count ``column`` is.

        The few view withholds every table but the key figures; a column is shown unless it
        was dropped (a table's headers keep the columns it would show).
        """
        dropped = self.dropped.get(table, frozenset())
        if column is not None:
            return column not in dropped
        return not (self.few and table != "figures") and ALL_COLUMNS not in dropped

    def drop(self, table: str, column: str = ALL_COLUMNS, *, step: str) -> View:
        """Return the view with ``column`` of ``table`` (or the whole table) withheld."""
        dropped = dict(self.dropped)
        dropped[table] = frozenset(dropped.get(table, frozenset()) | {column})
        return replace(self, dropped=dropped, steps=(*self.steps, step))

    def pool(self, table: str, rows: tuple[Hashable, ...], *, step: str) -> View:
        """Return the view with ``rows`` of ``table`` merged into its pooled row."""
        pooled = dict(self.pooled)
        pooled[table] = rows
        return replace(self, pooled=pooled, steps=(*self.steps, step))


#: The view of the internal tier: everything shown.
SHOW_ALL: Final = View(audited=True)
