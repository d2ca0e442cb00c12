"""Install the map's front-end files from the npm registry and copy them to ``static/vendor/``.

Runs ``npm ci`` in ``frontend/`` (exact versions from ``package-lock.json``, integrity-checked),
then copies the files listed in :mod:`apk_geo.assets` to ``static/vendor/`` at the project
root, where Streamlit serves them at ``/app/static/vendor/``. Writes
``static/vendor/manifest.json`` with the installed package versions. Idempotent;
``--skip-npm`` reuses an existing ``node_modules``.

Usage: ``.venv/bin/python scripts/install_assets.py [--dest DIR] [--skip-npm]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

from apk_geo.assets import ASSET_DIRS, ASSETS, LICENSE_FILES, MANIFEST, PROJECT_ROOT

FRONTEND = PROJECT_ROOT / "frontend"


def npm_ci(frontend: Path) -> None:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit(
            "install_assets: npm not found; install Node.js and npm (apt-get install nodejs npm)"
        )
    cmd = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
    print(f"install_assets: {' '.join(cmd[1:])} in {frontend}", file=sys.stderr)
    subprocess.run(cmd, cwd=frontend, check=True)


def copy_files(modules: Path, dest: Path) -> dict[str, object]:
    tmp = dest.with_name(dest.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    files: dict[str, str] = {}
    for asset in ASSETS:
        src, dst = modules / asset.source, tmp / asset.target
        if not src.is_file():
            sys.exit(f"install_assets: {src} missing after npm ci; check frontend/package.json")
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
        files[asset.target] = hashlib.sha256(src.read_bytes()).hexdigest()
    for src_dir, dst_dir in ASSET_DIRS:
        shutil.copytree(modules / src_dir, tmp / dst_dir)
    for src_file, dst_file in LICENSE_FILES:
        (tmp / dst_file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(modules / src_file, tmp / dst_file)
    lock = json.loads((FRONTEND / "package-lock.json").read_text(encoding="utf-8"))
    versions = {
        key.removeprefix("node_modules/"): meta.get("version")
        for key, meta in lock.get("packages", {}).items()
        if key.count("node_modules/") == 1
    }
    info: dict[str, object] = {"source": "npm registry", "versions": versions, "files": files}
    (tmp / MANIFEST).write_text(json.dumps(info, indent=2, sort_keys=True), encoding="utf-8")
    shutil.rmtree(dest, ignore_errors=True)
    tmp.replace(dest)
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=PROJECT_ROOT / "static" / "vendor")
    parser.add_argument("--skip-npm", action="store_true", help="reuse frontend/node_modules")
    args = parser.parse_args(argv)
    if not args.skip_npm or not (FRONTEND / "node_modules").is_dir():
        npm_ci(FRONTEND)
    args.dest.parent.mkdir(parents=True, exist_ok=True)
    info = copy_files(FRONTEND / "node_modules", args.dest)
    print(f"install_assets: {len(info['files'])} files in {args.dest}", file=sys.stderr)  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
