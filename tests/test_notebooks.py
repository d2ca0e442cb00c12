from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors
    text = "".join(
        out.get("text", "")
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream"
    )
    if path.stem == "evaluation":
        # what the notebook's prose states must be what it measured
        assert (
            "At 5 % of the area the forecast has the highest PAI in 5 of 5 real data sets." in text
        )
        assert "Memphis robbery: the forecast has the highest PAI at every coverage." in text
        assert "SF robbery: the forecast has the highest PAI at every coverage." in text
        demo_5 = text.split("demo data, 5% of the city: best PAI")[1].splitlines()[0]
        assert demo_5.endswith(" by forecast"), demo_5
        lost = [line for line in text.splitlines() if "beats the forecast" in line]
        assert all("Why: " in line for line in lost)
        # real data: only at 1 % of the area does another method win
        assert all(line.startswith("demo data") or ", 1% of the area:" in line for line in lost), (
            lost
        )
