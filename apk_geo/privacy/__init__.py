"""Disclosure control for presenter views: places, never persons, and no count worked out.

Presenter outputs (MDT packs, the presenter page) show aggregates only: no notes, no assistant
codes, no addresses, no record ids and no individual incident points. Counts are protected the
way statistical offices protect tables (tau-ARGUS, sdcTable; Hundepool et al. 2012):

* **Primary suppression** — a count in ``1 … k − 1`` (``k`` =
  :attr:`apk_geo.config.Config.min_public_count`, default :data:`MIN_COUNT` = 3) is shown as
  ``"<k"`` (:func:`format_count`); zero is shown (an empty place reveals nobody).
* **Secondary suppression and coarsening** — a ``"<k"`` next to a shown total is no suppression
  (19 − 11 − 3 − 4 = 1), so the view also merges small rows into one row "ostatní (malé počty)"
  spanning at least two rows (:func:`rows_to_pool`, :func:`pool_table`), withholds what is
  derived from a hidden count (:func:`may_show`), and — when that is not enough — drops a
  column, a table, or all detail of the view.
* **The audit** — :func:`attack` builds the integer program of everything the view shows
  (:class:`LinearSystem`: totals, the other tables, previous months, changes, shares, ranks,
  map markers) and solves for the minimum and maximum of every hidden count. The view is safe
  when every range passes :func:`safe_range`: a ``"<k"`` count keeps its whole interval
  ``[1, k − 1]`` (for ``k = 3``: both 1 and 2 stay possible) and any other hidden count keeps
  at least ``max(2, k − 1)`` possible values. The packs (:mod:`apk_geo.reports`) coarsen
  until the audit passes.

:func:`derivable_rows` and :func:`residual_pins` are the earlier one-column checks (a
subtraction against one total), kept for their callers; the audit subsumes them.

References
----------
Hundepool, A., Domingo-Ferrer, J., Franconi, L., Giessing, S., Schulte Nordholt, E., Spicer,
K. & de Wolf, P.-P. (2012). *Statistical Disclosure Control*. Wiley.
"""

from __future__ import annotations

from apk_geo.privacy._attack import (
    MIN_COUNT,
    SOLVE_TIME_LIMIT_S,
    Audit,
    Finding,
    LinearSystem,
    Shown,
    Target,
    attack,
    safe_range,
)
from apk_geo.privacy._rules import (
    MIN_POOLED_ROWS,
    POOLED_LABEL,
    TIERS,
    Pooling,
    Tier,
    derivable_rows,
    drop_sensitive,
    format_count,
    is_suppressed,
    may_show,
    pool_rows,
    pool_table,
    pooled_rows,
    residual_pins,
    rows_to_pool,
    suppress_counts,
    suppress_small_cells,
)

__all__ = [
    "MIN_COUNT",
    "MIN_POOLED_ROWS",
    "POOLED_LABEL",
    "SOLVE_TIME_LIMIT_S",
    "TIERS",
    "Audit",
    "Finding",
    "LinearSystem",
    "Pooling",
    "Shown",
    "Target",
    "Tier",
    "attack",
    "derivable_rows",
    "drop_sensitive",
    "format_count",
    "is_suppressed",
    "may_show",
    "pool_rows",
    "pool_table",
    "pooled_rows",
    "residual_pins",
    "rows_to_pool",
    "safe_range",
    "suppress_counts",
    "suppress_small_cells",
]
