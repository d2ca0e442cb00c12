"""Read incident exports and other tables, validate their rows, and write tables and layers.

The jobs live in these modules, re-exported here flat:

* :mod:`apk_geo.io.read` — :func:`read_table` (an incident export, CSV or XLSX, as a
  :class:`RawTable`) and :func:`read_csv` (any other CSV), with one encoding and delimiter
  detection;
* :mod:`apk_geo.io.validate` — :func:`validate` (valid canonical records and quarantined rows),
  :func:`record_hash`, :func:`quarantine_frame`; the cell parsing it uses (numbers, codes,
  date-times) is in :mod:`apk_geo.io.cells`;
* :mod:`apk_geo.io.export` — :func:`write_layer` (GeoPackage, GeoJSON or CSV by suffix),
  :func:`write_table` (CSV) and :func:`layer_bytes`, all atomic.
"""

from __future__ import annotations

from apk_geo.io.cells import DATETIME_FORMATS
from apk_geo.io.export import LAYER_FORMATS, layer_bytes, write_layer, write_table
from apk_geo.io.read import DELIMITERS, RawTable, read_csv, read_table
from apk_geo.io.validate import (
    EARLIEST,
    LATLON_ABS_RANGE,
    SJTSK_ABS_RANGE,
    VALID_COLUMNS,
    Validated,
    quarantine_frame,
    record_hash,
    validate,
)

__all__ = [
    "DATETIME_FORMATS",
    "DELIMITERS",
    "EARLIEST",
    "LATLON_ABS_RANGE",
    "LAYER_FORMATS",
    "SJTSK_ABS_RANGE",
    "VALID_COLUMNS",
    "RawTable",
    "Validated",
    "layer_bytes",
    "quarantine_frame",
    "read_csv",
    "read_table",
    "record_hash",
    "validate",
    "write_layer",
    "write_table",
]
