"""The system's Chromium is found, or named, never assumed at one path."""

from __future__ import annotations

from pathlib import Path

import pytest

from apk_geo import browser
from apk_geo.errors import RenderError


def _fake(folder: Path, name: str) -> Path:
    exe = folder / name
    exe.write_text("#!/bin/sh\n", encoding="utf-8")
    exe.chmod(0o755)
    return exe


def test_the_environment_names_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exe = _fake(tmp_path, "my-chrome")
    monkeypatch.setenv(browser.CHROMIUM_ENV, str(exe))
    assert browser.find_chromium() == str(exe)
    monkeypatch.setenv(browser.CHROMIUM_ENV, str(tmp_path / "missing"))
    with pytest.raises(RenderError, match=r"APK_GEO_CHROMIUM names .*missing, which is not a file"):
        browser.find_chromium()


def test_the_path_is_searched_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(browser.CHROMIUM_ENV, raising=False)
    _fake(tmp_path, "google-chrome")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert browser.find_chromium() == str(tmp_path / "google-chrome")
    _fake(tmp_path, "chromium-browser")  # earlier in CHROMIUM_NAMES
    assert browser.find_chromium() == str(tmp_path / "chromium-browser")


def test_none_found_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(browser.CHROMIUM_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(browser, "CHROMIUM_LOCATIONS", (str(tmp_path / "nope"),))
    with pytest.raises(RenderError, match=r"no Chromium found .*apt-get install chromium"):
        browser.find_chromium()
    with pytest.raises(RenderError, match="no Chromium found"), browser.Renderer():
        pass
