"""Fixtures of the browser journeys: one demo store, the dashboard running on it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import dashboard


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store people walk (synthetic, 30,000 incidents, geocoded for real)."""
    from apk_geo.demo import build_demo_store

    folder = tmp_path_factory.mktemp("journey_store")
    build_demo_store(folder / "demo.gpkg", exports_dir=folder / "exports")
    return folder / "demo.gpkg"


@pytest.fixture(scope="session")
def app_url(demo_store: Path) -> Iterator[str]:
    with dashboard(demo_store) as url:
        yield url


@pytest.fixture(scope="session")
def presenter_url(demo_store: Path) -> Iterator[str]:
    with dashboard(demo_store, "--presenter") as url:
        yield url
