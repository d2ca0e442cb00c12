"""GDAL's own GeoPackage validator, as Debian 12 ships it (``python3-gdal``, GDAL 3.6).

Its ``--extra`` checks include the DATETIME spelling of GeoPackage 1.3 in every row. It
reports problems as warnings with exit status 0, so any line it prints counts as a complaint.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

VALIDATORS = (
    Path("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"),
    Path("/usr/share/doc/python3-gdal/examples/validate_gpkg.py"),
)


def validator() -> Path:
    for path in VALIDATORS:
        if path.exists():
            return path
    pytest.fail("validate_gpkg.py not found: apt-get install -y python3-gdal (scripts/test.sh)")


def validate_gpkg(path: Path) -> str:
    """Run ``validate_gpkg.py --extra``; return its complaints ("" when it prints none)."""
    done = subprocess.run(
        [sys.executable, str(validator()), "--extra", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return (done.stdout + done.stderr).strip() or ("" if done.returncode == 0 else "failed")
