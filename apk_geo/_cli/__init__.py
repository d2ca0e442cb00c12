"""Sub-commands of the ``apk-geo`` command line (one module each, see :mod:`apk_geo.cli`)."""
