"""apk-geo: geospatial hotspot analysis and maps for the APK crime-prevention assistants.

The library has one module per pipeline stage (see the README); it never imports Streamlit.
"""

from __future__ import annotations

__version__ = "0.1.0"
