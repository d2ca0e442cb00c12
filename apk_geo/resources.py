"""Where the files the product ships live, in a wheel and in a source checkout.

A built wheel carries the shipped data inside the package (``apk_geo/data/``: the city's open-data
layers and the synthetic demo layers, mapped from the checkout's ``data/`` folder by
``pyproject.toml``) and the npm lock files of the map's front-end assets (``apk_geo/frontend/``).
In a source checkout (an editable install) the same files are read from ``data/`` and
``frontend/`` beside the package. The Streamlit pages are the ``app_pages`` package, installed next
to ``apk_geo``; the map's front-end files are served from its ``static/vendor/`` folder.
"""

from __future__ import annotations

import importlib.resources
import importlib.util
from pathlib import Path
from typing import Final

from apk_geo.errors import InputFileError

__all__ = ["app_dir", "data_dir", "data_file", "frontend_dir"]

#: The package folder (``apk_geo/``).
PACKAGE_DIR: Final = Path(__file__).resolve().parent
#: The source checkout's root, when the package runs from one.
_CHECKOUT: Final = PACKAGE_DIR.parent


def _shipped(name: str, *, marker: str) -> Path:
    """Return ``apk_geo/<name>`` in a wheel, else ``<checkout>/<name>``; ``marker`` must exist."""
    inside = Path(str(importlib.resources.files("apk_geo") / name))
    for candidate in (inside, _CHECKOUT / name):
        if (candidate / marker).is_file():
            return candidate
    raise InputFileError(
        f"the shipped {name!r} folder is missing (looked for {marker} in {inside} and "
        f"{_CHECKOUT / name}); reinstall apk-geo"
    )


def data_dir() -> Path:
    """Return the folder of the shipped data (city layers, demo layers, attribution)."""
    return _shipped("data", marker="ATTRIBUTION.md")


def data_file(*parts: str) -> Path:
    """Return a shipped data file, e.g. ``data_file("demo", "svl_synthetic.geojson")``."""
    return data_dir().joinpath(*parts)


def frontend_dir() -> Path:
    """Return the folder with ``package.json`` and ``package-lock.json`` of the map's assets."""
    return _shipped("frontend", marker="package-lock.json")


def app_dir() -> Path:
    """Return the folder of the dashboard's pages (the ``app_pages`` package), not importing it.

    Raises
    ------
    InputFileError
        If the ``app_pages`` package is not installed.
    """
    spec = importlib.util.find_spec("app_pages")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        raise InputFileError("the dashboard's pages (package app_pages) are not installed")
    return Path(locations[0]).resolve()
