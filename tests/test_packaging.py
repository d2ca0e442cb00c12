"""A built wheel is the whole product: data, dashboard pages and CLI work outside the checkout."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _declared_packages() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages: list[str] = config["tool"]["setuptools"]["packages"]
    return packages


def test_every_package_of_the_tree_is_declared() -> None:
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for top in ("apk_geo", "app_pages")
        for p in (ROOT / top).rglob("__init__.py")
    }
    declared = set(_declared_packages())
    assert found - declared == set(), "add these to [tool.setuptools] packages"
    mapped = {"apk_geo.data", "apk_geo.frontend"}  # folders of files, mapped from data/, frontend/
    assert declared - found == mapped


def test_resources_are_found_in_the_checkout() -> None:
    from apk_geo import resources

    assert (resources.data_dir() / "ATTRIBUTION.md").is_file()
    assert (resources.frontend_dir() / "package-lock.json").is_file()
    assert (resources.app_dir() / "main.py").is_file()


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("apk_geo-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    # The dependencies come from this environment's site-packages (no download); apk_geo itself
    # only from the wheel: the checkout's editable hook is a .pth file, which is not read here.
    purelib = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(purelib) / "deps.pth").write_text(site.getsitepackages()[0] + "\n", encoding="utf-8")
    subprocess.run(
        [str(py), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("APK_GEO")}
    env["APK_GEO_VENDOR_DIR"] = str(ROOT / "app_pages" / "static" / "vendor")
    where = tmp_path / "elsewhere"
    where.mkdir()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(venv / "bin" / "apk-geo"), *args],
            cwd=where,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    origin = subprocess.run(
        [str(py), "-c", "import apk_geo, app_pages; print(apk_geo.__file__, app_pages.__file__)"],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert str(ROOT) not in origin and str(venv) in origin

    store = where / "demo.gpkg"
    done = run("demo", "--store", str(store), "--incidents", "800", "--months", "4")
    assert done.returncode == 0, done.stderr
    done = run("hotspots", "--store", str(store), "--method", "kde", "--out", "kde.geojson")
    assert done.returncode == 0, done.stderr
    assert (where / "kde.geojson").stat().st_size > 1000
    done = run("report", "--store", str(store), "--area", "all", "--format", "html", "--out", "p")
    assert done.returncode == 0, done.stderr
    assert list((where / "p").glob("*.html"))
    assets = run("assets", "status")
    assert assets.returncode == 0, assets.stdout + assets.stderr


def test_no_two_test_files_share_a_name() -> None:
    # pytest imports test files by their base name (no __init__.py): a second one with the same
    # name is an "import file mismatch" error that hides both files' tests
    tests = Path(__file__).resolve().parent
    names = [p.name for p in tests.rglob("test_*.py")]
    assert sorted(n for n in set(names) if names.count(n) > 1) == []
