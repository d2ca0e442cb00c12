"""The apk-geo dashboard from a source checkout: ``streamlit run dashboard.py -- --store PATH``.

A thin entry: the app is :mod:`app_pages.main` (what ``apk-geo dashboard`` runs, also from an
installed wheel). Streamlit runs this script on every interaction, so it calls ``main()`` each time.
"""

from __future__ import annotations

from app_pages.main import main

main()
