"""MDT packs in Debian's headless Chromium: the PDF prints, the HTML works offline, no canary leaks.

One Chromium (``reports.Renderer``) serves the whole module. The tiny store and its canary
``KANAR-Q7X9`` (in notes, assistant codes and addresses) come from ``test_reports``.
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

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
        "volné pobíhání psů",
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
    assert "Poruba: 2 incidents" in run.stdout
