import numpy as np
import pandas as pd
import pytest

from apk_geo import privacy


@pytest.mark.parametrize(
    ("n", "tier", "text"),
    [
        (0, "presenter", "0"),
        (1, "presenter", "<3"),
        (2, "presenter", "<3"),
        (3, "presenter", "3"),
        (2, "internal", "2"),
        (float("nan"), "presenter", "–"),
        (2.6, "presenter", "3"),
    ],
)
def test_format_count(n: float, tier: privacy.Tier, text: str) -> None:
    assert privacy.format_count(n, tier=tier) == text


def test_suppress_counts_does_not_mutate_input() -> None:
    df = pd.DataFrame({"label": ["a", "b"], "n": [1, 10]})
    out = privacy.suppress_counts(df, ["n"])
    assert list(out["n"]) == ["<3", "10"]
    assert list(df["n"]) == [1, 10]


def test_drop_sensitive_removes_person_level_columns() -> None:
    df = pd.DataFrame(columns=["note", "assistant", "address", "category", "lat", "n"])
    assert list(privacy.drop_sensitive(df).columns) == ["category", "n"]


def test_suppress_small_cells_for_maps() -> None:
    out = privacy.suppress_small_cells(np.array([0, 1, 2, 3, 7]))
    assert np.isnan(out[1]) and np.isnan(out[2])
    assert list(out[[0, 3, 4]]) == [0, 3, 7]
