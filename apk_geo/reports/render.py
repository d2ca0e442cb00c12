"""Rendering a pack: the self-contained HTML page, the A4 PDF, the PNG of the map, the files.

:func:`render_html` fills the Jinja template ``templates/report.html.j2`` with the pack's
tables (:mod:`apk_geo.reports.tables`) and its interactive map inlined
(:func:`apk_geo.reports.map.map_html`); :func:`render_pdf` prints the same page with the map as
a static image in headless Chromium (:class:`apk_geo.browser.Renderer`), with a footer on every
page (:func:`footer`); :func:`render_png` is the map alone for slides; :func:`write_pack`
writes the chosen formats.
"""

from __future__ import annotations

import base64
import html
import logging
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, Literal, get_args

import jinja2

from apk_geo import maps
from apk_geo.browser import Renderer
from apk_geo.errors import ParameterError
from apk_geo.i18n import t
from apk_geo.reports._strings import text_of
from apk_geo.reports.data import Pack, month_label, pack_filename
from apk_geo.reports.map import map_html
from apk_geo.reports.tables import changed_items, notes, tables

__all__ = [
    "FORMATS",
    "PDF_MAP_SIZE_PX",
    "PNG_SIZE_PX",
    "Format",
    "Renderer",
    "footer",
    "render_html",
    "render_pdf",
    "render_png",
    "write_pack",
]

logger = logging.getLogger(__name__)

Format = Literal["html", "pdf", "png"]
FORMATS: Final[tuple[str, ...]] = get_args(Format)
#: Size of the slide PNG of the map (CSS pixels).
PNG_SIZE_PX: Final = (1600, 900)
#: Size of the map image placed in the PDF (CSS pixels, rendered at 2× for print).
PDF_MAP_SIZE_PX: Final = (1100, 760)
#: Labels of the page's headings and messages: template name → string key ``pack.<name>``.
_LABELS: Final = (
    "key",
    "categories",
    "outcomes",
    "map",
    "hotspots",
    "places",
    "changed",
    "notes",
    "none",
    "no_hotspots",
    "no_places",
    "generated",
)


_ENV: jinja2.Environment | None = None


def _template() -> jinja2.Template:
    global _ENV  # one lazily built jinja environment, read-only afterwards
    if _ENV is None:
        _ENV = jinja2.Environment(
            loader=jinja2.PackageLoader("apk_geo", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
        )
    return _ENV.get_template("report.html.j2")


#: Headers (string keys) of the columns that hold numbers, aligned right.
_NUMBER_HEADS: Final = (
    "pack.this_month",
    "pack.prev_month",
    "pack.year_before",
    "pack.change",
    "pack.share",
    "pack.rate",
    "pack.ratio",
    "field.count",
)


def _privacy_context(pack: Pack) -> dict[str, Any]:
    """What the template says about a presenter view: the few view, withheld tables."""
    view = pack.view
    lg, k = pack.lang, pack.min_count
    few = view is not None and view.few
    return {
        "few": text_of("pack.few", lg, k=k) if few else None,
        "withheld": {
            name: view is not None and not few and not view.shows(name)
            for name in ("categories", "outcomes", "hotspots", "places")
        },
        "withheld_text": text_of("pack.withheld", lg),
        "num_heads": [t(h, lg) for h in _NUMBER_HEADS],
    }


def _page(pack: Pack, *, map_png: bytes | None) -> str:
    lg = pack.lang
    tabs = tables(pack)
    label_tier = (
        t("pack.tier.internal", lg)
        if pack.tier == "internal"
        else t("pack.tier.presenter", lg, k=pack.min_count)
    )
    context = {
        "lang": lg,
        "title": t("pack.title", lg, area=pack.area),
        "subtitle": t("pack.subtitle", lg, month=month_label(pack.month, lg)),
        "kind": t(f"pack.kind.{pack.area_kind}", lg),
        "tier": pack.tier,
        "tier_label": label_tier,
        "synthetic": t("pack.synthetic", lg) if pack.synthetic else None,
        "L": {k: t(f"pack.{k}", lg) for k in _LABELS},
        "figures": pack.figures,
        "tables": {k: (list(v.columns), v.to_numpy().tolist()) for k, v in tabs.items()},
        "map_note": t("pack.map_note", lg, cell=round(float(pack.params["cell_size_m"]))),
        "map_html": None if map_png is not None else map_html(pack, height_px=560),
        "map_png": (base64.b64encode(map_png).decode("ascii") if map_png is not None else None),
        "changed": changed_items(pack),
        "notes": notes(pack),
        "attribution": re.sub(r"<[^>]+>", "", maps.DATA_ATTRIBUTION),
        "print": map_png is not None,
        "has_hotspots": not pack.hotspots.empty,
        "has_places": not pack.places.empty,
        **_privacy_context(pack),
    }
    return _template().render(**context)


def render_html(pack: Pack) -> str:
    """Return the pack as one self-contained HTML page with an interactive map.

    Every script, style and image is inlined (the map is an ``iframe`` whose ``srcdoc`` holds
    the folium page with Leaflet inlined), so the file works when e-mailed or opened from a USB
    stick with no network; :func:`~apk_geo.reports.map.external_urls` of it is empty.
    """
    return _page(pack, map_png=None)


def _with_renderer(renderer: Renderer | None, fn: Any) -> Any:
    if renderer is not None:
        return fn(renderer)
    with Renderer() as r:
        return fn(r)


def render_png(
    pack: Pack,
    *,
    renderer: Renderer | None = None,
    size_px: tuple[int, int] = PNG_SIZE_PX,
    scale: float = 1.0,
) -> bytes:
    """Return a PNG of the pack's map alone (for slides), rendered in headless Chromium.

    Parameters
    ----------
    pack
        The pack.
    renderer
        A running :class:`Renderer` to reuse; a temporary one is started when ``None``.
    size_px
        Width and height in CSS pixels.
    scale
        Device pixel ratio (2 doubles the pixels).
    """
    width, height = size_px
    page_html = map_html(pack, height_px=height, static=True)
    return bytes(
        _with_renderer(
            renderer, lambda r: r.screenshot(page_html, width=width, height=height, scale=scale)
        )
    )


def footer(pack: Pack) -> str:
    """Return the footer of every PDF page: area and month (or the internal label), page."""
    lg = pack.lang
    left = (
        t("pack.tier.internal", lg)
        if pack.tier == "internal"
        else f"{pack.area} · {month_label(pack.month, lg)}"
    )
    if pack.synthetic:
        left += f" · {t('pack.synthetic', lg)}"
    weight = "bold" if pack.tier == "internal" else "normal"
    return (
        "<div style=\"font-family:'DejaVu Sans',sans-serif;font-size:7.5pt;width:100%;"
        'margin:0 12mm;display:flex;justify-content:space-between;color:#333">'
        f'<span style="font-weight:{weight}">{html.escape(left)}</span>'
        f'<span>{html.escape(t("pack.page", lg))} <span class="pageNumber"></span>/'
        '<span class="totalPages"></span></span></div>'
    )


def render_pdf(
    pack: Pack, *, renderer: Renderer | None = None, map_png: bytes | None = None
) -> bytes:
    """Return the pack as an A4 PDF (DejaVu Sans, so Czech diacritics print correctly).

    The map is a static image rendered in headless Chromium; every page carries a footer with
    the area and month, or the internal-tier label, and the synthetic-data label for demo data.

    Parameters
    ----------
    pack
        The pack.
    renderer
        A running :class:`Renderer` to reuse; a temporary one is started when ``None``.
    map_png
        A map image already rendered for this pack (skips rendering it again).
    """

    def run(r: Renderer) -> bytes:
        png = map_png
        if png is None:
            w, h = PDF_MAP_SIZE_PX
            png = r.screenshot(
                map_html(pack, height_px=h, static=True), width=w, height=h, scale=2.0
            )
        return bytes(r.pdf(_page(pack, map_png=png), footer_html=footer(pack)))

    return bytes(_with_renderer(renderer, run))


def write_pack(
    pack: Pack,
    out_dir: str | Path,
    *,
    formats: Sequence[str] = FORMATS,
    renderer: Renderer | None = None,
) -> dict[str, Path]:
    """Write the pack in ``formats`` to ``out_dir`` (created); return format → path.

    Raises
    ------
    ParameterError
        If a format is not one of :data:`FORMATS`.
    """
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ParameterError(f"formats must be some of {FORMATS}; got {list(formats)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    started = time.perf_counter()
    if "html" in formats:
        path = out / pack_filename(pack, "html")
        path.write_text(render_html(pack), encoding="utf-8")
        written["html"] = path

    def browser_formats(r: Renderer) -> None:
        if "png" in formats:
            path = out / pack_filename(pack, "png")
            path.write_bytes(render_png(pack, renderer=r))
            written["png"] = path
        if "pdf" in formats:
            path = out / pack_filename(pack, "pdf")
            path.write_bytes(render_pdf(pack, renderer=r))
            written["pdf"] = path

    if "png" in formats or "pdf" in formats:
        _with_renderer(renderer, browser_formats)
    logger.info(
        "report: %s %s written in %.1f s: %s",
        pack.area,
        pack.month,
        time.perf_counter() - started,
        {k: str(v) for k, v in written.items()},
    )
    return {f: written[f] for f in formats if f in written}
