"""Privacy rules for presenter and public views: places, never persons.

Presenter outputs (MDT packs, the presenter page) show aggregates only: no notes, no assistant
codes, no addresses, no record ids and no individual incident points; counts below
:attr:`apk_geo.config.Config.min_public_count` (default 3) are shown as ``"<3"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from apk_geo.schema import SENSITIVE_COLUMNS

Tier = Literal["presenter", "internal"]
TIERS: tuple[Tier, ...] = ("presenter", "internal")


def format_count(n: float | int, *, min_count: int = 3, tier: Tier = "presenter") -> str:
    """Return ``n`` as text, suppressed to ``"<min_count"`` below the threshold in presenter tier.

    Zero is shown as ``"0"``: an empty place reveals nobody.

    Examples
    --------
    >>> format_count(2)
    '<3'
    >>> format_count(2, tier="internal")
    '2'
    """
    if pd.isna(n):
        return "–"
    value = round(float(n))
    if tier == "presenter" and 0 < value < min_count:
        return f"<{min_count}"
    return str(value)


def suppress_counts(
    df: pd.DataFrame, columns: Iterable[str], *, min_count: int = 3, tier: Tier = "presenter"
) -> pd.DataFrame:
    """Return a copy of ``df`` with the count ``columns`` as text, small counts suppressed."""
    out = df.copy()
    for col in columns:
        out[col] = [format_count(v, min_count=min_count, tier=tier) for v in out[col]]
    return out


def drop_sensitive(df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` without the columns that may identify a person or an exact place."""
    return df.drop(columns=[c for c in SENSITIVE_COLUMNS if c in df.columns])


def suppress_small_cells(values: np.ndarray | pd.Series, *, min_count: int = 3) -> np.ndarray:
    """Return numeric counts with values in ``(0, min_count)`` replaced by NaN (for maps)."""
    arr = np.asarray(values, dtype=float).copy()
    arr[(arr > 0) & (arr < min_count)] = np.nan
    return arr
