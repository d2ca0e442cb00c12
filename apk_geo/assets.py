"""Front-end files for the maps, served locally: nothing is ever loaded from a CDN.

folium, branca and streamlit-folium reference Leaflet, jQuery, Bootstrap, Font Awesome,
leaflet.awesome-markers, Leaflet.markercluster, leaflet.heat and d3 on public CDNs; without an
internet connection such a map stays blank. apk_geo installs the same files, at the versions these
libraries pin, from the npm registry at set-up time (``frontend/package.json`` and its lock file,
``apk-geo assets install``, which ``scripts/setup.sh`` runs) into ``static/vendor/`` of the
dashboard's pages package (``app_pages/``, the folder of the Streamlit entry script). Streamlit
serves that folder at ``/app/static/vendor/`` when ``server.enableStaticServing`` is on, and
:mod:`apk_geo.maps` points every folium element at it. For a self-contained HTML file (an offline
report) :func:`inline_html` replaces the links with the file contents.

Versions: folium 0.20 pins Leaflet 1.9.3, jQuery 3.7.1, Bootstrap 5.2.2, Font Awesome 6.2.0,
leaflet.awesome-markers 2.0.2 (not on npm: 2.0.5, the same 2.0 line, is used), Leaflet.markercluster
1.1.0 and leaflet.heat (folium ships a build of 0.2.0); branca 0.8 uses d3 3.5.5 for colour maps and
streamlit-folium 0.27 adds d3 v4 (4.13.0, the last v4) for them. Bootstrap 3 glyphicons and folium's
"awesome rotate" stylesheet are not on npm and are left out; apk_geo maps use neither.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from apk_geo.errors import AssetError, ParameterError
from apk_geo.resources import app_dir

#: URL under which Streamlit serves ``static/vendor/`` (``server.enableStaticServing = true``).
STREAMLIT_VENDOR_URL: Final = "/app/static/vendor"

#: Environment variable that overrides the vendor folder.
VENDOR_ENV: Final = "APK_GEO_VENDOR_DIR"


@dataclass(frozen=True)
class Asset:
    """One front-end file: where npm puts it and where apk_geo serves it.

    Attributes
    ----------
    name
        The link name folium uses for it (``"leaflet"``, ``"leaflet_css"`` …).
    kind
        ``"js"`` or ``"css"``.
    source
        Path inside ``frontend/node_modules/``.
    target
        Path inside the vendor folder (and under the served URL).
    cdn_path
        The end of the address folium, branca or streamlit-folium would load it from (package,
        version and file, without the host): it identifies the file those libraries link to, so
        :func:`local_url_for` can replace their link. apk_geo itself never loads anything from
        there.
    """

    name: str
    kind: Literal["js", "css"]
    source: str
    target: str
    cdn_path: str


#: Every file that is linked from a page, in load order within its kind.
ASSETS: Final[tuple[Asset, ...]] = (
    Asset(
        "leaflet",
        "js",
        "leaflet/dist/leaflet.js",
        "leaflet/leaflet.js",
        "leaflet@1.9.3/dist/leaflet.js",
    ),
    Asset(
        "jquery",
        "js",
        "jquery/dist/jquery.min.js",
        "jquery/jquery.min.js",
        "/jquery-3.7.1.min.js",
    ),
    Asset(
        "bootstrap",
        "js",
        "bootstrap/dist/js/bootstrap.bundle.min.js",
        "bootstrap/bootstrap.bundle.min.js",
        "bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js",
    ),
    Asset(
        "awesome_markers",
        "js",
        "leaflet.awesome-markers/dist/leaflet.awesome-markers.js",
        "awesome-markers/leaflet.awesome-markers.js",
        "Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js",
    ),
    Asset(
        "leaflet_css",
        "css",
        "leaflet/dist/leaflet.css",
        "leaflet/leaflet.css",
        "leaflet@1.9.3/dist/leaflet.css",
    ),
    Asset(
        "bootstrap_css",
        "css",
        "bootstrap/dist/css/bootstrap.min.css",
        "bootstrap/bootstrap.min.css",
        "bootstrap@5.2.2/dist/css/bootstrap.min.css",
    ),
    Asset(
        "awesome_markers_font_css",
        "css",
        "@fortawesome/fontawesome-free/css/all.min.css",
        "fontawesome/css/all.min.css",
        "@fortawesome/fontawesome-free@6.2.0/css/all.min.css",
    ),
    Asset(
        "awesome_markers_css",
        "css",
        "leaflet.awesome-markers/dist/leaflet.awesome-markers.css",
        "awesome-markers/leaflet.awesome-markers.css",
        "Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css",
    ),
    Asset(
        "markercluster",
        "js",
        "leaflet.markercluster/dist/leaflet.markercluster.js",
        "markercluster/leaflet.markercluster.js",
        "leaflet.markercluster/1.1.0/leaflet.markercluster.js",
    ),
    Asset(
        "markerclustercss",
        "css",
        "leaflet.markercluster/dist/MarkerCluster.css",
        "markercluster/MarkerCluster.css",
        "leaflet.markercluster/1.1.0/MarkerCluster.css",
    ),
    Asset(
        "markerclusterdefaultcss",
        "css",
        "leaflet.markercluster/dist/MarkerCluster.Default.css",
        "markercluster/MarkerCluster.Default.css",
        "leaflet.markercluster/1.1.0/MarkerCluster.Default.css",
    ),
    Asset(
        "leaflet-heat.js",
        "js",
        "leaflet.heat/dist/leaflet-heat.js",
        "heat/leaflet-heat.js",
        "python-visualization/folium@main/folium/templates/leaflet_heat.min.js",
    ),
    Asset("d3", "js", "d3-v3/d3.min.js", "d3/d3.v3.min.js", "d3/3.5.5/d3.min.js"),
    Asset("d3_v4", "js", "d3-v4/build/d3.min.js", "d3/d3.v4.min.js", "/d3.v4.min.js"),
)

#: Folders copied whole (images and fonts that the stylesheets reference relatively).
ASSET_DIRS: Final[tuple[tuple[str, str], ...]] = (
    ("leaflet/dist/images", "leaflet/images"),
    ("leaflet.awesome-markers/dist/images", "awesome-markers/images"),
    ("@fortawesome/fontawesome-free/webfonts", "fontawesome/webfonts"),
)

#: Licence files copied beside the assets (attribution of the front-end code).
LICENSE_FILES: Final[tuple[tuple[str, str], ...]] = (
    ("leaflet/LICENSE", "leaflet/LICENSE"),
    ("jquery/LICENSE.txt", "jquery/LICENSE.txt"),
    ("bootstrap/LICENSE", "bootstrap/LICENSE"),
    ("@fortawesome/fontawesome-free/LICENSE.txt", "fontawesome/LICENSE.txt"),
    ("leaflet.markercluster/MIT-LICENCE.txt", "markercluster/MIT-LICENCE.txt"),
    ("leaflet.awesome-markers/LICENSE", "awesome-markers/LICENSE"),
    ("leaflet.heat/LICENSE", "heat/LICENSE"),
    ("d3-v3/LICENSE", "d3/LICENSE.v3"),
    ("d3-v4/LICENSE", "d3/LICENSE.v4"),
)

#: Name of the manifest written by the installer (versions and file list).
MANIFEST: Final = "manifest.json"

_BY_NAME: Final = {a.name: a for a in ASSETS}


def vendor_dir() -> Path:
    """Return the folder holding the installed files.

    ``$APK_GEO_VENDOR_DIR`` if set, else ``static/vendor/`` in the dashboard's pages package
    (``app_pages/``), which Streamlit serves beside its entry script.
    """
    env = os.environ.get(VENDOR_ENV)
    return Path(env) if env else app_dir() / "static" / "vendor"


def get_asset(name: str) -> Asset:
    """Return the :class:`Asset` called ``name``.

    Raises
    ------
    KeyError
        If no asset has that name; the message lists the known names.
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown asset {name!r}; known: {sorted(_BY_NAME)}") from None


def asset_url(name: str, *, base_url: str = STREAMLIT_VENDOR_URL) -> str:
    """Return the local URL of asset ``name`` under ``base_url``.

    Examples
    --------
    >>> asset_url("leaflet")
    '/app/static/vendor/leaflet/leaflet.js'
    """
    return f"{base_url.rstrip('/')}/{get_asset(name).target}"


def links(names: Iterable[str], *, base_url: str = STREAMLIT_VENDOR_URL) -> list[tuple[str, str]]:
    """Return ``[(name, local URL), ...]``, the form of folium's ``default_js``/``default_css``."""
    return [(n, asset_url(n, base_url=base_url)) for n in names]


def local_url_for(cdn_url: str, *, base_url: str = STREAMLIT_VENDOR_URL) -> str | None:
    """Return the local URL that replaces a library's CDN link, or ``None`` if it is unknown.

    A link matches an asset when it ends with the asset's :attr:`Asset.cdn_path` (package,
    version and file), so a library upgrade that changes a pinned version finds no match.
    """
    for a in ASSETS:
        path = a.cdn_path.lstrip("/")
        if cdn_url == path or cdn_url.endswith("/" + path):
            return f"{base_url.rstrip('/')}/{a.target}"
    return None


def missing_files(directory: Path | None = None) -> list[str]:
    """Return the vendor-relative paths that are not installed (empty when all are there)."""
    root = vendor_dir() if directory is None else Path(directory)
    wanted = [a.target for a in ASSETS] + [t for _, t in ASSET_DIRS]
    return [t for t in wanted if not (root / t).exists()]


def require_installed(directory: Path | None = None) -> Path:
    """Return the vendor folder; raise :class:`AssetError` if any file is missing."""
    root = vendor_dir() if directory is None else Path(directory)
    missing = missing_files(root)
    if missing:
        raise AssetError(
            f"front-end files missing in {root}: {missing[:5]}{' …' if len(missing) > 5 else ''}; "
            "install them from the npm registry with `apk-geo assets install` (needs npm); "
            "until then maps cannot be drawn offline"
        )
    return root


def read_asset(name: str, *, directory: Path | None = None) -> str:
    """Return the text of asset ``name`` (for inlining into a self-contained HTML file).

    Raises
    ------
    AssetError
        If the file is not installed.
    """
    root = vendor_dir() if directory is None else Path(directory)
    path = root / get_asset(name).target
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AssetError(
            f"{path} is not installed; run `apk-geo assets install` (needs npm)"
        ) from None


def manifest(directory: Path | None = None) -> dict[str, object]:
    """Return the installer's manifest (package versions and files), ``{}`` if absent."""
    root = vendor_dir() if directory is None else Path(directory)
    try:
        data: dict[str, object] = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return data


_CSS_URL = re.compile(r"url\(\s*(['\"]?)(?!data:|https?:|//|#)([^'\")]+)\1\s*\)")
_TTF_SRC = re.compile(r",\s*url\([^)]*\.ttf\)\s*format\(\s*['\"]truetype['\"]\s*\)")


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or (
        "font/woff2" if path.suffix == ".woff2" else "application/octet-stream"
    )
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def inline_css(name: str, *, directory: Path | None = None) -> str:
    """Return stylesheet ``name`` with every relative ``url(...)`` embedded as a data URI.

    TrueType fallbacks next to a WOFF2 source are dropped (every browser apk_geo supports reads
    WOFF2), which keeps a report with Font Awesome about 1 MB smaller.
    """
    root = vendor_dir() if directory is None else Path(directory)
    asset = get_asset(name)
    if asset.kind != "css":
        raise ParameterError(f"asset {name!r} is {asset.kind}, not css")
    css = _TTF_SRC.sub("", read_asset(name, directory=root))
    folder = (root / asset.target).parent

    def embed(m: re.Match[str]) -> str:
        target = (folder / m.group(2).split("?")[0].split("#")[0]).resolve()
        return f"url({_data_uri(target)})" if target.is_file() else "url()"

    return _CSS_URL.sub(embed, css)


def inline_html(
    html: str, *, base_url: str = STREAMLIT_VENDOR_URL, directory: Path | None = None
) -> str:
    """Replace every ``<script src>`` and stylesheet ``<link>`` to a local asset by its contents.

    Parameters
    ----------
    html
        A page rendered with links under ``base_url`` (see :func:`asset_url`).
    base_url
        The prefix the links use.
    directory
        Vendor folder to read from (default :func:`vendor_dir`).

    Returns
    -------
    str
        The page with the scripts and stylesheets inlined; images and fonts referenced by the
        stylesheets become data URIs, so the file opens with no network and no server.
    """
    root = vendor_dir() if directory is None else Path(directory)
    base = re.escape(base_url.rstrip("/"))
    by_target = {a.target: a for a in ASSETS}

    def script(m: re.Match[str]) -> str:
        asset = by_target.get(m.group(1))
        if asset is None:
            return m.group(0)
        body = read_asset(asset.name, directory=root).replace("</script", "<\\/script")
        return f"<script>{body}</script>"

    def style(m: re.Match[str]) -> str:
        asset = by_target.get(m.group(1))
        if asset is None:
            return m.group(0)
        return f"<style>{inline_css(asset.name, directory=root)}</style>"

    def icons(m: re.Match[str]) -> str:
        images = root / "leaflet" / "images"
        urls = {
            key: _data_uri(images / f)
            for key, f in (
                ("iconUrl", "marker-icon.png"),
                ("iconRetinaUrl", "marker-icon-2x.png"),
                ("shadowUrl", "marker-shadow.png"),
            )
            if (images / f).is_file()
        }
        return f'L.Icon.Default.imagePath = ""; L.Icon.Default.mergeOptions({json.dumps(urls)});'

    html = re.sub(rf'<script[^>]*\bsrc="{base}/([^"]+)"[^>]*>\s*</script>', script, html)
    html = re.sub(rf'L\.Icon\.Default\.imagePath = "{base}/leaflet/images/";', icons, html)
    return re.sub(rf'<link[^>]*\bhref="{base}/([^"]+)"[^>]*/?>', style, html)
