"""A default QGIS style for hotspot layers, stored in a GeoPackage's ``layer_styles`` table.

QGIS opens a GeoPackage layer with the style of its ``layer_styles`` row that has
``useAsDefault = 1`` (the table QGIS itself writes with "Save style → in the database"). A
hotspot result gets one, so it opens coloured as the dashboard map draws it:

* ``hotspot_class`` (Gi*): a categorised style, hot 99/95/90 % red to cold blue (ColorBrewer
  RdBu, :data:`apk_geo.map_style.GISTAR_COLOURS`), not significant cells outlined only;
* ``density_km2`` (KDE) and ``risk`` (forecast): a graduated style of five quantile classes
  (viridis counts, ColorBrewer Purples risk, :data:`apk_geo.map_style.COUNT_COLOURS`,
  :data:`~apk_geo.map_style.RISK_COLOURS`).

The QML is written by hand from small templates (QGIS 3.x reads ``<prop k= v=>`` symbol
layers). The colours repeat those of :mod:`apk_geo.map_style` (a tier above this module); a
test checks that they are the same.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final
from xml.sax.saxutils import quoteattr

import numpy as np
import pandas as pd
import pyogrio
from babel.numbers import format_decimal

from apk_geo.i18n import t
from apk_geo.io.columns import Lang

__all__ = ["STYLED_COLUMNS", "STYLE_TABLE", "add_default_style", "style_qml"]

#: The QGIS table of layer styles.
STYLE_TABLE: Final = "layer_styles"
#: Gi* class → fill colour (the same as ``apk_geo.map_style.GISTAR_COLOURS``).
GISTAR_COLOURS: Final[Mapping[int, str]] = {
    3: "#b2182b",
    2: "#ef8a62",
    1: "#fddbc7",
    -1: "#d1e5f0",
    -2: "#67a9cf",
    -3: "#2166ac",
}
#: KDE density and forecast risk, low to high (as ``map_style.COUNT_COLOURS``/``RISK_COLOURS``).
COUNT_COLOURS: Final = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")
RISK_COLOURS: Final = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")
#: Columns that get a default style, in order of preference, with their style name.
STYLED_COLUMNS: Final[Mapping[str, str]] = {
    "hotspot_class": "legend.gistar",
    "density_km2": "legend.counts",
    "risk": "legend.risk",
}
_OUTLINE: Final = "#636363"
_CLASSES: Final = 5
_LOCALE: Final[Mapping[str, str]] = {"cs": "cs_CZ", "en": "en_GB"}


def add_default_style(path: Path, *, layer: str, frame: pd.DataFrame, lang: Lang) -> bool:
    """Add a default QGIS style for ``layer`` to the GeoPackage ``path``, if it has a styled column.

    Parameters
    ----------
    path
        A GeoPackage that holds ``layer`` (GDAL creates ``layer_styles`` in it).
    layer
        The layer's name.
    frame
        The layer as written (a GeoDataFrame: the styled column and the geometry type).
    lang
        Language of the legend's labels.

    Returns
    -------
    bool
        Whether a style was added.
    """
    qml = style_qml(frame, lang=lang)
    if qml is None:
        return False
    column = next(c for c in STYLED_COLUMNS if c in frame.columns)
    row = {
        "f_table_catalog": "",
        "f_table_schema": "",
        "f_table_name": layer,
        "f_geometry_column": _geometry_column(path, layer),
        "styleName": t(STYLED_COLUMNS[column], lang)[:30],
        "styleQML": qml,
        "styleSLD": "",
        "useAsDefault": True,
        "description": f"apk-geo: {column}",
        "owner": "",
        "ui": "",
        "update_time": pd.Timestamp(dt.datetime.now(dt.UTC)),
    }
    pyogrio.write_dataframe(
        pd.DataFrame([row]), path, layer=STYLE_TABLE, driver="GPKG", layer_options={"FID": "id"}
    )
    return True


def style_qml(frame: pd.DataFrame, *, lang: Lang) -> str | None:
    """Return the QML of the default style of ``frame``, or None if no column is styled."""
    column = next((c for c in STYLED_COLUMNS if c in frame.columns), None)
    if column is None:
        return None
    kind = _symbol_kind(frame)
    if column == "hotspot_class":
        renderer = _categorised(column, kind=kind, lang=lang)
    else:
        palette = RISK_COLOURS if column == "risk" else COUNT_COLOURS
        renderer = _graduated(column, frame[column], palette=palette, kind=kind, lang=lang)
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        '<qgis version="3.22.0" styleCategories="Symbology">\n'
        f"{renderer}\n"
        "</qgis>\n"
    )


def _categorised(column: str, *, kind: str, lang: Lang) -> str:
    """Return a categorised renderer of the Gi* classes (3 … −3, 0 outlined only)."""
    classes = (3, 2, 1, 0, -1, -2, -3)
    categories = "".join(
        f'      <category render="true" value="{c}" symbol="{i}" '
        f"label={quoteattr(t(f'gistar.class_{c}', lang))}/>\n"
        for i, c in enumerate(classes)
    )
    symbols = "".join(
        _symbol(str(i), GISTAR_COLOURS.get(c), kind=kind) for i, c in enumerate(classes)
    )
    return (
        f'  <renderer-v2 type="categorizedSymbol" attr={quoteattr(column)} symbollevels="0" '
        'forceraster="0" enableorderby="0">\n'
        f"    <categories>\n{categories}    </categories>\n"
        f"    <symbols>\n{symbols}    </symbols>\n"
        "  </renderer-v2>"
    )


def _graduated(
    column: str, values: pd.Series, *, palette: Sequence[str], kind: str, lang: Lang
) -> str:
    """Return a graduated renderer of five quantile classes of ``values``."""
    breaks = _breaks(values)
    colours = palette[-(len(breaks) - 1) :] if len(breaks) > 1 else palette[:1]
    ranges = ""
    symbols = ""
    for i, (low, high) in enumerate(itertools.pairwise(breaks)):
        label = f"{_number(low, lang)} – {_number(high, lang)}"
        ranges += (
            f'      <range render="true" lower="{low!r}" upper="{high!r}" symbol="{i}" '
            f"label={quoteattr(label)}/>\n"
        )
        symbols += _symbol(str(i), colours[i], kind=kind)
    return (
        f'  <renderer-v2 type="graduatedSymbol" attr={quoteattr(column)} '
        'graduatedMethod="GraduatedColor" symbollevels="0" forceraster="0" enableorderby="0">\n'
        f"    <ranges>\n{ranges}    </ranges>\n"
        f"    <symbols>\n{symbols}    </symbols>\n"
        '    <mode name="quantile"/>\n'
        "  </renderer-v2>"
    )


def _breaks(values: pd.Series) -> list[float]:
    """Return up to six increasing class bounds (quantiles) of the finite values."""
    data = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    data = data[np.isfinite(data)]
    if data.size == 0:
        return [0.0, 0.0]
    bounds = np.unique(np.quantile(data, np.linspace(0.0, 1.0, _CLASSES + 1)))
    if bounds.size == 1:
        return [float(bounds[0]), float(bounds[0])]
    return [float(b) for b in bounds]


def _number(value: float, lang: Lang) -> str:
    """Return a class bound as the legend shows it (Czech decimal comma)."""
    return str(format_decimal(value, format="#,##0.###", locale=_LOCALE[lang]))


def _symbol(name: str, colour: str | None, *, kind: str) -> str:
    """Return one fill or marker symbol; ``colour=None`` draws the outline only."""
    fill = _rgba(colour) if colour else "0,0,0,0"
    style = "solid" if colour else "no"
    if kind == "marker":
        props = {"name": "circle", "color": fill, "outline_color": _rgba(_OUTLINE), "size": "2"}
        layer_class = "SimpleMarker"
    else:
        props = {
            "color": fill,
            "style": style,
            "outline_color": _rgba(_OUTLINE),
            "outline_style": "solid",
            "outline_width": "0.1",
        }
        layer_class = "SimpleFill"
    body = "".join(f'          <prop k="{k}" v="{v}"/>\n' for k, v in props.items())
    return (
        f'      <symbol type="{kind}" name="{name}" alpha="0.8" clip_to_extent="1" '
        'force_rhr="0">\n'
        f'        <layer class="{layer_class}" enabled="1" locked="0" pass="0">\n'
        f"{body}        </layer>\n"
        "      </symbol>\n"
    )


def _rgba(colour: str) -> str:
    """Return ``#rrggbb`` as QGIS's ``r,g,b,a``."""
    value = colour.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},255"


def _symbol_kind(frame: pd.DataFrame) -> str:
    """Return ``"marker"`` for a point layer, ``"fill"`` otherwise."""
    geometry = getattr(frame, "geometry", None)
    types = set(geometry.geom_type.dropna()) if geometry is not None else set()
    return "marker" if types and types <= {"Point", "MultiPoint"} else "fill"


def _geometry_column(path: Path, layer: str) -> str:
    """Return the geometry column GDAL gave ``layer`` (``geom`` for GeoPackage)."""
    info = pyogrio.read_info(path, layer=layer)
    return str(info.get("geometry_name") or "geom")
