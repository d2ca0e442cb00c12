"""Multiple-testing adjustment against hand values and statsmodels' definition of BH."""

from __future__ import annotations

import numpy as np
import pytest

from apk_geo.errors import ParameterError
from apk_geo.pvalues import ADJUSTMENTS, adjust_p


def test_benjamini_hochberg_by_hand() -> None:
    p = np.array([0.01, 0.04, 0.03, 0.20])
    # sorted 0.01, 0.03, 0.04, 0.20 × m/rank = 0.04, 0.06, 0.0533, 0.20; cumulative min from the top
    np.testing.assert_allclose(adjust_p(p), [0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.20], rtol=1e-12)


def test_bonferroni_caps_at_one_and_none_copies() -> None:
    p = np.array([0.01, 0.3, 0.6])
    np.testing.assert_allclose(adjust_p(p, method="bonferroni"), [0.03, 0.9, 1.0])
    same = adjust_p(p, method="none")
    assert same is not p and np.array_equal(same, p)


def test_empty_family_and_unknown_method() -> None:
    assert adjust_p(np.array([])).size == 0
    assert ADJUSTMENTS == ("fdr_bh", "bonferroni", "none")
    with pytest.raises(ParameterError, match="adjust must be one of"):
        adjust_p(np.array([0.5]), method="holm")  # type: ignore[arg-type]
