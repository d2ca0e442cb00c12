"""Install the map's front-end files from the npm registry into the local vendor folder.

``npm ci`` runs on a copy of the shipped ``package.json`` and ``package-lock.json`` (exact versions,
integrity-checked, no install scripts), then the files listed in :mod:`apk_geo.assets` are copied
to the vendor folder (:func:`apk_geo.assets.vendor_dir`) with a ``manifest.json`` of the installed
versions and file hashes. The folder is replaced as a whole, so an interrupted install leaves the
old files. This runs at install time only; nothing is fetched while the product runs.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from apk_geo.assets import ASSET_DIRS, ASSETS, LICENSE_FILES, MANIFEST, vendor_dir
from apk_geo.errors import AssetError
from apk_geo.messages import Message
from apk_geo.resources import frontend_dir

__all__ = ["install"]

_NPM_CI = ("ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error")


def install(
    dest: Path | None = None,
    *,
    node_modules: Path | None = None,
    on_message: Callable[[Message], None] | None = None,
) -> dict[str, object]:
    """Install the front-end files into ``dest`` (default: the vendor folder); return the manifest.

    Parameters
    ----------
    dest
        Target folder; default :func:`apk_geo.assets.vendor_dir`.
    node_modules
        An existing ``node_modules`` folder to copy from instead of running ``npm ci``.
    on_message
        Receives one line per step, a :class:`~apk_geo.messages.Message` (English as a
        ``str``; the CLI prints it in the run's language).

    Raises
    ------
    AssetError
        If npm is missing, ``npm ci`` fails or a listed file is not in the npm packages.
    """
    say = on_message or (lambda _msg: None)
    target = vendor_dir() if dest is None else Path(dest)
    target.parent.mkdir(parents=True, exist_ok=True)
    if node_modules is not None:
        return _copy_files(Path(node_modules), target)
    with tempfile.TemporaryDirectory(prefix="apk-geo-npm-") as work:
        for name in ("package.json", "package-lock.json"):
            shutil.copy2(frontend_dir() / name, Path(work) / name)
        say(Message("msg.assets_npm", command=f"npm {' '.join(_NPM_CI)}"))
        _npm_ci(Path(work))
        info = _copy_files(Path(work) / "node_modules", target)
    say(Message("msg.assets_copied", n=len(info["files"]), folder=str(target)))  # type: ignore[arg-type]
    return info


def _npm_ci(folder: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        raise AssetError(Message("msg.assets_no_npm"))
    done = subprocess.run([npm, *_NPM_CI], cwd=folder, capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise AssetError(Message("msg.assets_npm_failed", code=done.returncode, output=tail[0]))


def _copy_files(modules: Path, dest: Path) -> dict[str, object]:
    """Copy the listed files from ``modules`` into a fresh folder that then replaces ``dest``.

    Every source is checked first, so an incomplete ``node_modules`` leaves ``dest`` as it was
    and no half-filled folder beside it.
    """
    sources = [
        *(modules / a.source for a in ASSETS),
        *(modules / d for d, _ in ASSET_DIRS),
        *(modules / f for f, _ in LICENSE_FILES),
    ]
    absent = next((src for src in sources if not src.exists()), None)
    if absent is not None:
        raise AssetError(Message("msg.assets_not_in_packages", file=str(absent)))
    tmp = dest.with_name(dest.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        files = _fill(modules, tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    info: dict[str, object] = {"source": "npm registry", "versions": _versions(), "files": files}
    (tmp / MANIFEST).write_text(json.dumps(info, indent=2, sort_keys=True), encoding="utf-8")
    shutil.rmtree(dest, ignore_errors=True)
    tmp.replace(dest)
    return info


def _fill(modules: Path, tmp: Path) -> dict[str, str]:
    """Copy the files, folders and licences into ``tmp``; return each file's SHA-256."""
    files: dict[str, str] = {}
    for asset in ASSETS:
        src, dst = modules / asset.source, tmp / asset.target
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
        files[asset.target] = hashlib.sha256(src.read_bytes()).hexdigest()
    for src_dir, dst_dir in ASSET_DIRS:
        shutil.copytree(modules / src_dir, tmp / dst_dir)
    for src_file, dst_file in LICENSE_FILES:
        (tmp / dst_file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(modules / src_file, tmp / dst_file)
    return files


def _versions() -> dict[str, object]:
    lock = json.loads((frontend_dir() / "package-lock.json").read_text(encoding="utf-8"))
    return {
        key.removeprefix("node_modules/"): meta.get("version")
        for key, meta in lock.get("packages", {}).items()
        if key.count("node_modules/") == 1
    }
