"""Demo data: synthetic context layers, a synthetic RÚIAN gazetteer and synthetic incident exports.

The city geography is real (the 23 districts, the city outline, schools, public-transport stops
and sports grounds from the City of Ostrava's open data, see ``data/ATTRIBUTION.md``). Everything
this package makes is **synthetic** and labelled so: every layer carries ``synthetic = True`` and
``source = "synthetic demo data"``, the gazetteer's file name ends in ``_synthetic`` and every
incident note starts with ``DEMO``.

- :func:`make_svl_layer` and :func:`make_hostels_layer` (``layers``) draw socially excluded
  localities (SVL) and hostels around the documented places in
  ``data/ostrava_svl_hostels_candidates.csv``. Their coordinates are proxies (the centroid of the
  public-transport stop of the same name, ±300 m); rows without coordinates are placed at their
  published street when the schools' ``ULICE`` or the sports grounds' ``ADRESA`` name it,
  otherwise skipped (and logged).
- :func:`make_gazetteer` (``gazetteer``) writes an address-point table in the exact RÚIAN CSV
  format (cp1250, ``;``, positive Y/X) with real street names from the open data, spread over the
  built-up parts of the districts (segments of street laid through the real schools, sports
  grounds and stops).
- :func:`generate_incidents` (``incidents``, with the day and hour rates of ``calendar``) draws
  about three years of incidents with structure an APK assistant would recognise: concentration in
  and around SVL and hostels, syringes near them (more in the "Jehla" campaign weeks), truancy near
  schools on school-day mornings, alcohol and noise in the evenings and at weekends, summer
  seasonality.
- :func:`write_exports` (``exports``) writes them as the programme's cp1250 ``;`` exports with
  Czech headers, one file per year, with realistic address typos and some raw coordinates, plus a
  deliberately dirty export that exercises the quarantine.
- :func:`build_demo_store` (``build``) puts it all into an incident store (context layers,
  gazetteer, ingested exports).

Everything is seeded: the same seed gives byte-identical files.
"""

from __future__ import annotations

from apk_geo.demo._common import (
    CANDIDATES_FILE,
    DEMO_DIR,
    GAZETTEER_FILE,
    HOSTELS_FILE,
    LAYER_SEED,
    SVL_FILE,
    SYNTHETIC_SOURCE,
)
from apk_geo.demo.build import build_demo_store
from apk_geo.demo.calendar import JEHLA_WEEKS, default_end, jehla_days, school_days
from apk_geo.demo.exports import (
    DIRTY_PROBLEMS,
    EXPORT_HEADER,
    dirty_export,
    export_frame,
    format_addresses,
    write_export,
    write_exports,
)
from apk_geo.demo.gazetteer import (
    OSTRAVA_CODE,
    OSTRAVA_NAME,
    RUIAN_HEADER,
    make_gazetteer,
    read_address_points,
    write_ruian_csv,
)
from apk_geo.demo.incidents import PLACE_TYPES, generate_incidents
from apk_geo.demo.layers import (
    build_demo_layers,
    locate_candidates,
    make_hostels_layer,
    make_svl_layer,
    read_candidates,
)

__all__ = [
    "CANDIDATES_FILE",
    "DEMO_DIR",
    "DIRTY_PROBLEMS",
    "EXPORT_HEADER",
    "GAZETTEER_FILE",
    "HOSTELS_FILE",
    "JEHLA_WEEKS",
    "LAYER_SEED",
    "OSTRAVA_CODE",
    "OSTRAVA_NAME",
    "PLACE_TYPES",
    "RUIAN_HEADER",
    "SVL_FILE",
    "SYNTHETIC_SOURCE",
    "build_demo_layers",
    "build_demo_store",
    "default_end",
    "dirty_export",
    "export_frame",
    "format_addresses",
    "generate_incidents",
    "jehla_days",
    "locate_candidates",
    "make_gazetteer",
    "make_hostels_layer",
    "make_svl_layer",
    "read_address_points",
    "read_candidates",
    "school_days",
    "write_export",
    "write_exports",
    "write_ruian_csv",
]
