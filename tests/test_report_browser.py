"""MDT packs in Debian's headless Chromium: the PDF prints, the HTML works offline, no canary leaks.

One Chromium (``reports.Renderer``) serves the whole module. The tiny store and its canary
``KANAR-Q7X9`` (in notes, assistant codes and addresses) come from ``test_reports``.
"""

from __future__ import annotations

import dataclasses
import io
import math
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_reports import CANARY, MOAP, build_report_store

from apk_geo import reports
from apk_geo.store import open_store

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> reports.ReportData:
    path = build_report_store(tmp_path_factory.mktemp("browser") / "tiny.gpkg")
    return reports.ReportData.from_store(open_store(path))


@pytest.fixture(scope="module")
def renderer() -> Iterator[reports.Renderer]:
    with reports.Renderer() as r:
        yield r


@pytest.fixture(scope="module")
def written(
    data: reports.ReportData, renderer: reports.Renderer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    pack = reports.build_pack(data, area=MOAP, month="2024-06")
    out = reports.write_pack(pack, tmp_path_factory.mktemp("packs"), renderer=renderer)
    assert renderer.blocked == []
    return out


def pdf_text(path: Path) -> list[str]:
    """Text of every page with poppler's pdftotext (form feed between pages)."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [p for p in out.split("\f") if p.strip()]


def test_pdf_has_nonblank_a4_pages_with_czech_text(
    written: dict[str, Path], tmp_path: Path
) -> None:
    pdf = written["pdf"]
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 2
    for page in reader.pages:  # A4: 595 × 842 pt
        assert float(page.mediabox.width) == pytest.approx(595.3, abs=1)
        assert float(page.mediabox.height) == pytest.approx(841.9, abs=1)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "p")], check=True)
    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) == len(reader.pages)
    for img in images:
        pixels = np.asarray(Image.open(img).convert("L"), dtype=float)
        assert pixels.std() > 10, f"{img.name} looks blank"
    pages = pdf_text(pdf)
    text = "\n".join(pages)
    for phrase in (
        "MDT porada – Moravská Ostrava a Přívoz",
        "Klíčové údaje",
        "Předchozí měsíc",
        "přivolána hlídka MP",
        "ostatní (malé počty)",
        "Nejvýznamnější hotspoty",
        "SVL Test",
        "Poznámky k datům",
        "červen 2024",
    ):
        assert phrase in text
    assert all("SYNTETICKÁ DEMO DATA" in p for p in pages)  # the footer of every page
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, check=True, text=True
    ).stdout
    assert "DejaVuSans" in fonts


def test_pdf_map_is_an_image(written: dict[str, Path]) -> None:
    reader = PdfReader(written["pdf"])
    sizes = [
        (img.image.width, img.image.height)
        for p in reader.pages
        for img in p.images
        if img.image is not None
    ]
    assert any(w >= 1000 and h >= 700 for w, h in sizes)


def test_png_is_the_map_alone_and_drawn(written: dict[str, Path]) -> None:
    img = Image.open(written["png"])
    assert img.size == reports.PNG_SIZE_PX
    pixels = np.asarray(img.convert("RGB"), dtype=int)
    hot = (np.abs(pixels - np.array([0xB2, 0x18, 0x2B])).sum(axis=2) < 60).sum()
    assert hot > 50  # the 99 % hot-spot colour (with its opacity it is darker, but present)


def test_html_opens_offline_with_the_map_drawn(
    written: dict[str, Path], renderer: reports.Renderer
) -> None:
    # The renderer's pages abort every request that is not file:, data:, about: or blob: and
    # record it in renderer.blocked; the page's own listener records every request made.
    before = len(renderer.blocked)
    page = renderer.new_page(width=1280, height=900)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    try:
        page.goto(written["html"].as_uri(), wait_until="load")
        frame = page.frame_locator("iframe.map")
        frame.locator("path.leaflet-interactive").first.wait_for(timeout=20_000)
        n_paths = frame.locator("svg path.leaflet-interactive").count()
        rank_markers = frame.locator(".leaflet-marker-icon").count()
        title = page.locator("h1").inner_text()
    finally:
        page.context.close()
    assert n_paths >= 3  # district outline, area outline, SVL, hostel buffer, hot cells
    assert rank_markers >= 1
    assert title == "MDT porada – Moravská Ostrava a Přívoz"
    assert renderer.blocked[before:] == []
    assert requested and all(u.startswith(("file:", "data:", "about:")) for u in requested)


def test_map_full_screen_button_works(written: dict[str, Path], renderer: reports.Renderer) -> None:
    page = renderer.new_page(width=1280, height=900)
    try:
        page.goto(written["html"].as_uri(), wait_until="load")
        frame = page.frame_locator("iframe.map")
        frame.locator("path.leaflet-interactive").first.wait_for(timeout=20_000)
        inner = next(f for f in page.frames if f is not page.main_frame)
        assert inner.evaluate("() => document.fullscreenElement") is None
        frame.locator(".apk-fullscreen a").click()
        inner.wait_for_function("() => document.fullscreenElement !== null", timeout=5_000)
    finally:
        page.context.close()


def _centres(page: object, selector: str) -> list[tuple[float, float]]:
    js = """els => els.map(e => { const r = e.getBoundingClientRect();
        return [r.x + r.width / 2, r.y + r.height / 2]; })"""
    return [tuple(c) for c in page.eval_on_selector_all(selector, js)]  # type: ignore[attr-defined]


def test_rank_labels_of_neighbouring_cells_do_not_overlap(
    data: reports.ReportData, renderer: reports.Renderer
) -> None:
    pack = reports.build_pack(data, area=MOAP, month="2024-06")
    cells = pack.cells
    first = cells.loc[cells["cell_id"] == int(pack.hotspots["cell_id"].iloc[0])].geometry
    block = cells.loc[cells.geometry.centroid.distance(first.centroid.iloc[0]) < 360]
    assert len(block) == 9  # the hot cell and its eight neighbours, all ranked
    crowded = dataclasses.replace(
        pack,
        hotspots=gpd.GeoDataFrame(
            {"rank": np.arange(1, 10), "cell_id": block["cell_id"].to_numpy()},
            geometry=block.geometry.to_numpy(),
            crs=cells.crs,
        ),
    )
    page = renderer.new_page(width=400, height=300)
    try:
        page.set_content(reports.map_html(crowded, height_px=300, static=True), wait_until="load")
        page.wait_for_selector(".apk-rank-dot", timeout=20_000)
        anchors = _centres(page, ".apk-rank")
        dots = _centres(page, ".apk-rank-dot")
        leaders = page.eval_on_selector_all(
            ".apk-rank-leader", "els => els.map(e => parseFloat(e.style.width || '0'))"
        )
    finally:
        page.context.close()
    assert len(anchors) == len(dots) == 9

    def closest(points: list[tuple[float, float]]) -> float:
        return min(math.dist(a, b) for i, a in enumerate(points) for b in points[i + 1 :])

    assert closest(anchors) < 20  # the cells' centres are too close for 24 px labels
    assert closest(dots) >= 24  # yet no two labels overlap
    for anchor, dot, leader in zip(anchors, dots, leaders, strict=True):
        assert math.dist(anchor, dot) == pytest.approx(leader, abs=1.5)  # line back to the cell


def test_internal_png_carries_the_internal_stamp(
    data: reports.ReportData, renderer: reports.Renderer
) -> None:
    internal = reports.build_pack(data, area=MOAP, month="2024-06", tier="internal")
    png = reports.render_png(internal, renderer=renderer)
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    top = pixels[:45, 500:1100]  # the stamp sits at the top centre, solid #b2182b
    stamp = (np.abs(top - np.array([0xB2, 0x18, 0x2B])).sum(axis=2) < 12).sum()
    assert stamp > 2000
    presenter = reports.render_png(
        reports.build_pack(data, area=MOAP, month="2024-06"), renderer=renderer
    )
    top_p = np.asarray(Image.open(io.BytesIO(presenter)).convert("RGB"), dtype=int)[:45, 500:1100]
    assert (np.abs(top_p - np.array([0xB2, 0x18, 0x2B])).sum(axis=2) < 12).sum() == 0


def test_privacy_canary_leaves_no_trace(written: dict[str, Path]) -> None:
    html = written["html"].read_text(encoding="utf-8")
    assert CANARY not in html
    for forbidden in ("Prokešovo", "bez poznámky", 'A-1"'):
        assert forbidden not in html
    assert CANARY not in "\n".join(pdf_text(written["pdf"]))
    reader = PdfReader(written["pdf"])
    assert CANARY not in "".join(page.extract_text() for page in reader.pages)
    assert CANARY not in str(reader.metadata)
    raw_png = written["png"].read_bytes()
    assert CANARY.encode() not in raw_png
    img = Image.open(io.BytesIO(raw_png))
    assert CANARY not in repr(img.info)
    assert not getattr(img, "text", {})  # no text chunks at all


def test_internal_pdf_says_internal_on_every_page(
    data: reports.ReportData, renderer: reports.Renderer, tmp_path: Path
) -> None:
    pack = reports.build_pack(data, area=MOAP, month="2024-06", tier="internal")
    path = tmp_path / "internal.pdf"
    path.write_bytes(reports.render_pdf(pack, renderer=renderer))
    pages = pdf_text(path)
    assert len(pages) >= 2
    assert all("INTERNÍ" in p for p in pages)


def test_cli_all_formats_for_a_district(tmp_path: Path) -> None:
    store = tmp_path / "store.gpkg"
    build_report_store(store, synthetic=False)
    # A separate process, as a user runs it (and Playwright's sync API allows one per thread).
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "apk_geo.cli",
            "report",
            "--store",
            str(store),
            "--area",
            "Poruba",
            "--month",
            "2024-06",
            "--format",
            "pdf,png",
            "--out",
            str(tmp_path / "out"),
            "--lang",
            "en",
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["poruba_2024-06_en.pdf", "poruba_2024-06_en.png"]
    text = "\n".join(pdf_text(tmp_path / "out" / "poruba_2024-06_en.pdf"))
    assert "MDT meeting – Poruba" in text and "SYNTHETIC" not in text
    # presenter tier: the summary shows the count as the pack does, and the pack (two
    # incidents) shows the key figures only
    assert "Poruba: <3 incidents" in run.stdout and "2 incidents" not in run.stdout
    assert "Fewer than 3 incidents in the area this month" in text
    assert "Top hotspots" in text and "No significant hot spot" not in text
