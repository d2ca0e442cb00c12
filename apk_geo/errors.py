"""Exceptions raised by apk_geo.

Every exception derives from :class:`ApkGeoError` and from the builtin it refines, so
``except ValueError`` keeps working for callers that do not know this package. Messages say
what is wrong, what was received and how to fix it.
"""

from __future__ import annotations


class ApkGeoError(Exception):
    """Base class of every error raised by apk_geo."""


class InputFileError(ApkGeoError, ValueError):
    """A file cannot be read at all: wrong format, unknown encoding, missing required columns.

    Parameters
    ----------
    message
        What is wrong and how to fix it.
    path
        The file concerned, if any; it is prefixed to the message.
    """

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class SchemaError(ApkGeoError, ValueError):
    """Data does not follow the expected schema (a column, type or value is wrong)."""


class RecordError(SchemaError):
    """One record (row) is invalid; carries the field, the value and what was expected.

    Parameters
    ----------
    field
        Canonical name of the offending field.
    value
        The value as it arrived.
    expected
        A human-readable description of what was expected.
    """

    def __init__(self, field: str, value: object, expected: str) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"{field}: got {value!r}, expected {expected}")


class CRSError(ApkGeoError, ValueError):
    """A layer has no CRS, the wrong CRS, or a geographic CRS where metres are needed."""


class GeocodingError(ApkGeoError, ValueError):
    """A gazetteer or address input cannot be used for geocoding."""


class InsufficientDataError(ApkGeoError, ValueError):
    """Too few points, cells or periods for the requested analysis."""


class StoreError(ApkGeoError, OSError):
    """The incident store cannot be opened, read or written."""


class ConfigError(ApkGeoError, ValueError):
    """A configuration value is invalid."""


class AssetError(ApkGeoError, FileNotFoundError):
    """A front-end file (Leaflet, MarkerCluster, …) is not installed in the local vendor folder.

    Install the files from the npm registry with ``python scripts/install_assets.py`` (run by
    ``scripts/setup.sh``); nothing is ever loaded from a CDN.
    """


class RouteInfeasibleError(ApkGeoError, ValueError):
    """No patrol route satisfies the constraints (shift too short, must-visit out of reach)."""


class ParameterError(ApkGeoError, ValueError):
    """An analysis option has an invalid value (an unknown period code, overlapping periods, …)."""


class RenderError(ApkGeoError, RuntimeError):
    """A report cannot be rendered: headless Chromium is missing, fails to start or times out.

    apk_geo never downloads a browser; install the system's Chromium (``apt-get install
    chromium``) or pass its path.
    """
