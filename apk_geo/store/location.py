"""What kind of store a location names (no database driver imported here)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

__all__ = ["URL_SCHEMES", "is_database_url"]

#: URL schemes that name a PostGIS store.
URL_SCHEMES: Final = ("postgresql://", "postgres://")
_KEY_VALUE = re.compile(r"^\s*\w+\s*=")


def is_database_url(text: str | Path | object) -> bool:
    """Return whether ``text`` names a PostgreSQL database (a URL or ``key=value`` conninfo)."""
    if not isinstance(text, str):
        return False
    return text.startswith(URL_SCHEMES) or bool(_KEY_VALUE.match(text))
