"""Read incident exports and other tables, validate their rows, and write tables and layers.

The jobs live in these modules, re-exported here flat:

* :mod:`apk_geo.io.read` — :func:`read_table` (an incident export, CSV or XLSX, as a
  :class:`RawTable`) and :func:`read_csv` (any other CSV), with one encoding and delimiter
  detection;
* :mod:`apk_geo.io.validate` — :func:`validate` (valid canonical records and quarantined rows),
  :func:`record_hash`, :func:`quarantine_frame`; the cell parsing it uses (numbers, codes,
  date-times) is in :mod:`apk_geo.io.cells`;
* :mod:`apk_geo.io.export` — :func:`write_layer` (GeoPackage, GeoJSON or CSV by suffix),
  :func:`write_table` (CSV or XLSX), :func:`layer_bytes` and :func:`table_bytes`, all atomic and
  formula-safe (:func:`formula_safe`).

Private helpers of :mod:`~apk_geo.io.read`: ``_text`` (the encoding, decided from the whole
file), ``_records`` (records split without losing one), ``_headers`` (header mapping),
``_xlsx`` (every data sheet of a workbook), ``_messages`` (Czech-first texts).
"""

from __future__ import annotations

from apk_geo.io.cells import DATETIME_FORMATS
from apk_geo.io.export import (
    FORMULA_PREFIXES,
    LAYER_FORMATS,
    TABLE_FORMATS,
    formula_safe,
    layer_bytes,
    table_bytes,
    write_layer,
    write_table,
)
from apk_geo.io.read import DELIMITERS, BadRow, LineCounts, RawTable, read_csv, read_table
from apk_geo.io.validate import (
    EARLIEST,
    LATLON_ABS_RANGE,
    SJTSK_ABS_RANGE,
    VALID_COLUMNS,
    ZERO_WIDTH_FOLDED,
    Validated,
    quarantine_frame,
    record_hash,
    validate,
)

__all__ = [
    "DATETIME_FORMATS",
    "DELIMITERS",
    "EARLIEST",
    "FORMULA_PREFIXES",
    "LATLON_ABS_RANGE",
    "LAYER_FORMATS",
    "SJTSK_ABS_RANGE",
    "TABLE_FORMATS",
    "VALID_COLUMNS",
    "ZERO_WIDTH_FOLDED",
    "BadRow",
    "LineCounts",
    "RawTable",
    "Validated",
    "formula_safe",
    "layer_bytes",
    "quarantine_frame",
    "read_csv",
    "read_table",
    "record_hash",
    "table_bytes",
    "validate",
    "write_layer",
    "write_table",
]
